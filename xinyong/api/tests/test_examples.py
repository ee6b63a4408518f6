"""Every operation of the OpenAPI description shows a real example of its answer (and of
its JSON body), and every example still fits the schema it illustrates.

The examples (``api/examples.json``) are recorded from the tests' own calls (see
``api/tests/recorder.py``): after changing the API, regenerate them with
``XINYONG_WRITE_API_EXAMPLES=1 .venv/bin/pytest xinyong/accounts/tests/test_authorization_matrix.py
$(ls xinyong/*/tests/test_api*.py)`` (or the whole suite)."""

import json

import jsonschema

from xinyong.api.errors import examples
from xinyong.api.main import api

SPEC = api.get_openapi_schema()
# Answers that are files or pages, not JSON: nothing to show as a JSON example.
_NOT_JSON = ("application/pdf", "text/csv", "text/html", "application/octet-stream")


def _success(op: dict) -> tuple[int, dict] | None:
    for status, answer in op["responses"].items():
        if 200 <= int(status) < 300 and "application/json" in answer.get("content", {}):
            return int(status), answer["content"]["application/json"]
    return None


def test_every_operation_shows_a_real_example():
    missing = []
    for path, methods in SPEC["paths"].items():
        for method, op in methods.items():
            success = _success(op)
            if success is None:
                continue
            if "example" not in success[1]:
                missing.append(f"{method.upper()} {path}")
    assert not missing, (
        "operations without an example answer (call them in a test, then regenerate "
        "api/examples.json — see this module's docstring):\n" + "\n".join(missing)
    )


def test_every_example_fits_its_schema():
    unfit = []
    for path, methods in SPEC["paths"].items():
        for method, op in methods.items():
            success = _success(op)
            if success is None or "example" not in success[1]:
                continue
            schema = {**success[1]["schema"], "components": SPEC["components"]}
            try:
                jsonschema.validate(json.loads(json.dumps(success[1]["example"])), schema)
            except jsonschema.ValidationError as e:
                unfit.append(f"{method.upper()} {path}: {e.message[:200]}")
    assert not unfit, "examples that no longer fit (regenerate them):\n" + "\n".join(unfit)


def test_no_example_names_an_operation_that_is_gone():
    operations = {f"{m.upper()} {p}" for p, methods in SPEC["paths"].items() for m in methods}
    assert set(examples()) <= operations


def test_no_two_schemas_share_a_name():
    """The description names each schema by its class: two classes of one name (two apps'
    ``SubjectOut``) would leave one operation documented with the other's shape."""
    import pydantic

    def subclasses(c):
        for s in c.__subclasses__():
            yield s
            yield from subclasses(s)

    modules: dict[str, set[str]] = {}
    for c in subclasses(pydantic.BaseModel):
        if c.__module__.startswith("xinyong.") and ".tests." not in c.__module__:
            modules.setdefault(c.__name__, set()).add(c.__module__)
    shared = {n: sorted(m) for n, m in modules.items() if len(m) > 1}
    assert not {n: m for n, m in shared.items() if n in SPEC["components"]["schemas"]}
