"""Overlapping Python with the database in bulk work."""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor


def ahead(iterator: Iterator, pool: ThreadPoolExecutor) -> Iterator:
    """Yield the items of ``iterator`` while the next one is computed in ``pool``: the
    preparation of one chunk runs while the database writes the previous one (the database
    driver releases the GIL while it waits)."""
    sentinel = object()
    future = pool.submit(next, iterator, sentinel)
    while (item := future.result()) is not sentinel:
        future = pool.submit(next, iterator, sentinel)
        yield item
