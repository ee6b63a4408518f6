"""What a page says next to one field of its form (``backoffice/_field.html``): the message
in the element ``<auto_id>_error``, which the control points at (``aria-describedby``)."""

import html as htmlmod
import re


def field_error(page: str, name: str, *, control: bool = True) -> str:
    """The message shown beside the field ``name`` ('' when none): its element's text, and
    only when the field's control is marked invalid and points at it (``control=False``:
    a list of boxes laid out by hand, whose group points at it)."""
    auto_id = f"id_{name}"
    found = re.search(
        rf'<span class="field-error" id="{re.escape(auto_id)}_error">(.*?)</span>', page, re.S
    )
    if found is None:
        return ""
    if not control:
        return _text(found.group(1))
    tag = re.search(rf'<[^>]*\bid="{re.escape(auto_id)}"[^>]*>', page)
    assert tag is not None, f"no control {auto_id}"
    assert f'aria-describedby="{auto_id}_error"' in tag.group(0), tag.group(0)
    assert 'aria-invalid="true"' in tag.group(0), tag.group(0)
    return _text(found.group(1))


def _text(fragment: str) -> str:
    return htmlmod.unescape(re.sub(r"<[^>]+>", "", fragment))
