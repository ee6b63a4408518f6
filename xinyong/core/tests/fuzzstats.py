"""Counts of the property tests' generated requests by suite and status class, printed at
the end of the run (``pytest_terminal_summary`` in xinyong/conftest.py): the number the
issue's closing note asks for, "N generated requests, 0 answered 5xx"."""

import collections
import time

REQUESTS: collections.Counter = collections.Counter()  # (suite, "2xx"/"4xx"/"5xx") -> count
SECONDS: collections.Counter = collections.Counter()  # suite -> seconds spent in its tests


def record(suite: str, status: int) -> None:
    REQUESTS[suite, f"{status // 100}xx"] += 1


class timed:
    """Adds the time of a block to a suite."""

    def __init__(self, suite: str):
        self.suite = suite

    def __enter__(self):
        self.start = time.perf_counter()

    def __exit__(self, *exc):
        SECONDS[self.suite] += time.perf_counter() - self.start


def summary() -> list[str]:
    lines = []
    for suite in sorted({s for s, _ in REQUESTS}):
        total = sum(n for (s, _), n in REQUESTS.items() if s == suite)
        classes = ", ".join(
            f"{c} {REQUESTS[suite, c]}" for c in ("2xx", "3xx", "4xx", "5xx") if REQUESTS[suite, c]
        )
        lines.append(
            f"{suite}: {total} generated requests ({classes}); "
            f"{REQUESTS[suite, '5xx']} answered 5xx; {SECONDS[suite]:.1f} s"
        )
    return lines
