"""The entry points of a chunk worker process (:mod:`xinyong.ingest.chunks`), importable
before Django is set up: a spawned process loads this module first."""


def init() -> None:
    """Django set up as in the batch's worker (the same environment)."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")
    django.setup()


def work(job, chunk_no: int) -> tuple[int, bytes]:
    from xinyong.ingest.chunks import _work

    return _work(job, chunk_no)
