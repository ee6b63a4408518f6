"""Values of links and forms: a value that is not one is ignored (or defaulted), not refused —
the service behind the page names what is missing. Numbers are bounded by what the
database holds (``core.inputs.DB_INT_MAX``), so no link can make a query overflow."""

from xinyong.core.inputs import DB_INT_MAX


def offset_param(params, name: str = "offset") -> int:
    """A non-negative row offset from ``params`` (a QueryDict or dict); 0 when absent or
    malformed, at most the largest the database can skip."""
    try:
        return min(max(int(params.get(name, 0)), 0), DB_INT_MAX)
    except (TypeError, ValueError):
        return 0


def whole_number(value) -> int | None:
    """A whole number the database can hold written in ``value``, or None."""
    text = str(value or "").strip()
    # isdecimal, not isdigit: "²" is a digit int() cannot read.
    if not (text.isdecimal() and len(text) <= 19):
        return None
    number = int(text)
    return number if number <= DB_INT_MAX else None


def id_param(params, name: str, default: int | None = 0) -> int | None:
    """A whole number from a form or query string (an id, a count); ``default`` when
    absent, not a number or beyond any id — the service then says what is missing or
    unknown."""
    number = whole_number(params.get(name))
    return default if number is None else number


def ids_param(params, name: str) -> list[int]:
    """The whole numbers of a repeated form field (checkboxes), others left out."""
    return [n for n in map(whole_number, params.getlist(name)) if n is not None]
