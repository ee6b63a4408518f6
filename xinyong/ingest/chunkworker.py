"""The start of a chunk worker process (:mod:`xinyong.ingest.chunks`), importable before
Django is set up: a spawned process runs this first, so that the work it is then sent
(:func:`xinyong.ingest.chunks._work`, unpickled after the initializer) finds Django ready."""


def init() -> None:
    """Django set up as in the batch's worker (the same environment)."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")
    django.setup()
