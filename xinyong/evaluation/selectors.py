"""Reads of the evaluation: current grades, a subject's explained result, the runs."""

from xinyong.evaluation.models import SubjectGrade


def grades_of(subject_ids) -> dict[int, str]:
    """The current grade of each of these subjects that has one (an unevaluated subject is
    absent: a new company has no grade, which is not a bad one)."""
    return dict(
        SubjectGrade.objects.filter(subject_id__in=list(subject_ids)).values_list(
            "subject_id", "grade"
        )
    )
