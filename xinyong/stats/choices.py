from django.db import models
from django.utils.translation import gettext_lazy as _


class Figure(models.TextChoices):
    """The figures of a department's effectiveness scorecard (跟踪问效), in the order the
    pages and the monthly report show them. Each is a numerator over a denominator of one
    month; what counts is said in ``stats.scorecards.DEFINITIONS``."""

    # 双公示按时公示: decisions published that month, and of them those the department
    # supplied within 7 working days of the decision (the sweep's ``on_time``).
    PUBLICITY = "publicity", _("双公示按时公示率")
    # 报送数据合格: rows of the batches finished that month, and of them those accepted.
    ACCEPTED = "accepted", _("报送数据合格率")
    # 核查措施反馈: measures the department implements that its credit checks of the month
    # returned (not suspended), and of them those it answered (applied or not).
    CHECK_FEEDBACK = "check_feedback", _("核查措施反馈率")
    # 联合奖惩任务反馈: joint-action tasks asked of it that month, and those it answered.
    TASK_FEEDBACK = "task_feedback", _("联合奖惩任务反馈率")
    # 异议按时办结: objections whose decision was due that month, and those decided by then.
    OBJECTIONS = "objections", _("异议按时办结率")
    # 信用修复按时办结: repair applications due that month, and those decided by then.
    REPAIRS = "repairs", _("信用修复按时办结率")
    # 信用承诺核查: commitments whose check was due that month, and those checked.
    COMMITMENTS = "commitments", _("信用承诺核查率")
