"""Hostile exports (Hypothesis): a manifest that is not JSON, not an object, of another
format, with fields missing, of the wrong type, out of range — any of them is refused as
not an export (ExportError, naming the file), never a crash, and a run from it writes
nothing."""

import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xinyong.engines.export import FORMAT, MANIFEST, ExportError, manifest_read

EXAMPLES = int(os.environ.get("XINYONG_FUZZ_EXAMPLES", 25))
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=12,
)  # fmt: skip
VALID = {"format": FORMAT, "data_time": "2026-12-04T01:02:03+00:00", "database": "xinyong",
         "rows": {"subjects": 2}, "organisations": 1}  # fmt: skip


def _read(text: str | bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d)
        (path / MANIFEST).write_bytes(text if isinstance(text, bytes) else text.encode())
        with pytest.raises(ExportError) as e:
            manifest_read(path)
        assert str(path) in str(e.value)


@settings(max_examples=EXAMPLES, deadline=None)
@given(body=JSON)
def test_a_manifest_of_any_json_is_refused_as_not_an_export(body):
    _read(json.dumps(body))


@settings(max_examples=EXAMPLES, deadline=None)
@given(field=st.sampled_from(sorted(VALID)), value=JSON | st.just("Infinity"))
def test_a_manifest_with_one_field_spoiled_is_refused(field, value):
    spoiled = json.dumps(VALID | {field: value}).replace('"Infinity"', "Infinity")
    _read(spoiled)  # with its fields right, its tables are missing: refused all the same


@pytest.mark.parametrize(
    "raw", [b"", b"\xff\xfe\x00{", b"{" * 5000, b"[" * 100_000, b"[]", b"null"]
)
def test_bytes_that_are_not_a_manifest_are_refused(raw):
    _read(raw)
