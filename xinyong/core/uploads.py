"""Uploaded materials (proof of a binding, an objection's evidence, repair materials, a
statement's attachments): the one rule of what may be uploaded — a PDF, PNG or JPEG of at
most XINYONG_REMEDY_MAX_MB whose content is what its name says — and where it is kept
(under XINYONG_REMEDY_DIR, outside the web root, by a random name)."""

import hashlib
import uuid
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.core.errors import ValidationFailed

# What an uploaded material may be, told by its first bytes (never by its name alone).
_MAGIC = {".pdf": (b"%PDF-",), ".png": (b"\x89PNG\r\n\x1a\n",), ".jpg": (b"\xff\xd8\xff",),
          ".jpeg": (b"\xff\xd8\xff",)}  # fmt: skip


def material_check(upload, field: str = "evidence") -> None:
    """A material is a PDF, PNG or JPEG of at most XINYONG_REMEDY_MAX_MB whose content is
    what its name says."""
    if upload is None:
        raise ValidationFailed.one(field, "required", gettext("请上传材料（PDF、PNG 或 JPEG）"))
    limit = settings.XINYONG_REMEDY_MAX_MB
    if upload.size > limit * 1024 * 1024:
        raise ValidationFailed.one(
            field, "file.max_size", gettext("材料不得超过 %(limit)s MB") % {"limit": limit}
        )
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in _MAGIC:
        raise ValidationFailed.one(field, "file.format", gettext("材料应为 PDF、PNG 或 JPEG 文件"))
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(m) for m in _MAGIC[suffix]):
        raise ValidationFailed.one(
            field,
            "file.content",
            gettext("文件内容不是 %(format)s，请上传原始文件") % {"format": suffix[1:].upper()},
        )


def material_store(upload) -> tuple[str, str]:
    """Write a checked material under the materials directory: (relative path, sha256)."""
    directory = Path(settings.XINYONG_REMEDY_DIR) / timezone.localdate().strftime("%Y%m")
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}"
    digest = hashlib.sha256()
    with target.open("wb") as out:
        for chunk in upload.chunks():
            digest.update(chunk)
            out.write(chunk)
    return str(target.relative_to(settings.XINYONG_REMEDY_DIR)), digest.hexdigest()


def material_discard(path: str) -> None:
    """Remove a stored material again (its request was refused before it was kept)."""
    (Path(settings.XINYONG_REMEDY_DIR) / path).unlink(missing_ok=True)
