"""How far the processing of a batch has come. A batch is applied in one transaction, so its
row in the database cannot show progress to others until it commits; the worker writes the
count of rows done to a small file beside the payload instead, replaced atomically."""

import os
from pathlib import Path

from django.conf import settings


def progress_path(batch) -> Path:
    return Path(settings.XINYONG_BATCH_DIR) / f"{batch.payload_path}.progress"


def progress_write(batch, processed: int) -> None:
    path = progress_path(batch)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(str(processed))
    os.replace(tmp, path)


def progress_read(batch) -> int:
    """Rows processed so far: from the file while processing, else from the batch."""
    if batch.status == "processing":
        try:
            return int(progress_path(batch).read_text() or 0)
        except (FileNotFoundError, ValueError):
            return batch.processed
    return batch.processed
