"""Files sent to the browser: one the platform generated (a PDF document, a report's
spreadsheet) under its Chinese name — ``filename*`` (RFC 6266 / RFC 5987), UTF-8, quoted —
and an uploaded material kept under the materials directory (``core.uploads``)."""

from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from django.http import FileResponse, Http404, HttpResponse

from xinyong.core.errors import NotFound, PermissionDenied


def file_response(
    data: bytes, name: str, *, content_type: str = "application/pdf", inline: bool = False
) -> HttpResponse:
    """``data`` as ``name``: shown in the browser (``inline``) or saved (an attachment)."""
    response = HttpResponse(data, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(name)}"
    return response


def document_response(read: Callable[[], tuple[str, bytes]]) -> HttpResponse:
    """The PDF document ``read()`` rendered (and audited) as ``(name, bytes)``, shown in
    the browser; anything it does not find or refuses is a 404 (never said which)."""
    try:
        name, data = read()
    except (NotFound, PermissionDenied):
        raise Http404 from None
    return file_response(data, name, inline=True)


def stored_file(path: Path, name: str) -> FileResponse:
    """An uploaded material at ``path``, saved as ``name``; a 404 when it is not on disk."""
    if not path.exists():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=name)


def stored_file_response(read: Callable[[], tuple[Path, str]]) -> FileResponse:
    """The uploaded material ``read()`` found (and audited) as ``(path, name)``; anything it
    does not find or refuses is a 404 (never said which)."""
    try:
        path, name = read()
    except (NotFound, PermissionDenied):
        raise Http404 from None
    return stored_file(path, name)
