"""Query-string values of links (paging): a value that is not one is ignored, not refused."""


def offset_param(params, name: str = "offset") -> int:
    """A non-negative row offset from ``params`` (a QueryDict or dict); 0 when absent or
    malformed."""
    try:
        return max(int(params.get(name, 0)), 0)
    except (TypeError, ValueError):
        return 0
