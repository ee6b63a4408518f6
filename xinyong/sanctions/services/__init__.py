"""Writes of joint incentives and sanctions: the credit check and its feedback
(:mod:`.checks`); joint action, rectification orders and interviews (:mod:`.actions`)."""

from xinyong.sanctions.services.actions import (
    action_task_respond,
    interview_record,
    interview_schedule,
    joint_action_initiate,
    rectification_order_complete,
    rectification_order_issue,
)
from xinyong.sanctions.services.checks import check_feedback_submit, credit_check

__all__ = [
    "action_task_respond", "check_feedback_submit", "credit_check",
    "interview_record", "interview_schedule", "joint_action_initiate",
    "rectification_order_complete", "rectification_order_issue",
]  # fmt: skip
