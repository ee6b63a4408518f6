"""How a rate is shown everywhere a figure has a numerator and a denominator: a percentage
with one decimal, None when there is nothing to count (shown as —, never as 0 %)."""


def pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None
