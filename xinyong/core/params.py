"""Values of links and forms: a value that is not one is ignored (or defaulted), not refused —
the service behind the page names what is missing."""


def offset_param(params, name: str = "offset") -> int:
    """A non-negative row offset from ``params`` (a QueryDict or dict); 0 when absent or
    malformed."""
    try:
        return max(int(params.get(name, 0)), 0)
    except (TypeError, ValueError):
        return 0


def id_param(params, name: str, default: int | None = 0) -> int | None:
    """A whole number from a form or query string (an id, a count); ``default`` when
    absent or not a number — the service then says what is missing or unknown."""
    value = str(params.get(name) or "").strip()
    return int(value) if value.isdigit() else default


def ids_param(params, name: str) -> list[int]:
    """The whole numbers of a repeated form field (checkboxes), others left out."""
    return [int(v) for v in params.getlist(name) if str(v).strip().isdigit()]
