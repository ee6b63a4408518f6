"""Screenshots kept for a person to look at, under ``$XINYONG_VAR_DIR/artifacts/``.

Taken unless ``XINYONG_SCREENSHOTS=0``. scripts/test sets it: CI runs on a clean clone whose
``var/`` nobody opens, and the walk over every page spent 52 s of its 171 s on its 444
full-page images (measured 2026-12-04). A person who wants them runs the browser tests with
pytest (or ``XINYONG_SCREENSHOTS=1 scripts/test``)."""

import os

ENABLED = os.environ.get("XINYONG_SCREENSHOTS", "1") != "0"


def keep(page, path, **options) -> None:
    """``page.screenshot`` to ``path`` (Playwright's options), when screenshots are kept."""
    if ENABLED:
        page.screenshot(path=str(path), **options)
