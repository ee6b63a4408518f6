"""Domain errors. Services raise these; the API maps them to 4xx bodies that name the
field and the rule, the back office shows them next to the field."""

from dataclasses import dataclass, field


@dataclass
class FieldError:
    field: str  # dotted path of the offending input field, e.g. "uscc"
    rule: str  # machine-readable rule id, e.g. "uscc.check_character"
    message: str  # human-readable explanation (Chinese by default)

    def as_dict(self) -> dict:
        return {"field": self.field, "rule": self.rule, "message": self.message}


def describe(errors: list[FieldError]) -> str:
    """Errors one per line, for commands and logs."""
    return "\n".join(f"{e.field}: {e.message} [{e.rule}]" for e in errors)


@dataclass
class ValidationFailed(Exception):
    """Input broke one or more rules; nothing was written."""

    errors: list[FieldError] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(f"{e.field}: {e.message} [{e.rule}]" for e in self.errors)

    @classmethod
    def one(cls, field: str, rule: str, message: str) -> "ValidationFailed":
        """The refusal of one rule on one field."""
        return cls([FieldError(field, rule, message)])


class Conflict(Exception):
    """The write would duplicate something that must be unique (e.g. a subject's USCC)."""

    def __init__(self, field: str, rule: str, message: str):
        super().__init__(message)
        self.error = FieldError(field=field, rule=rule, message=message)


class PermissionDenied(Exception):
    """The actor's role or department does not allow this action."""


class NotFound(Exception):
    """The object does not exist or is not visible to the actor."""
