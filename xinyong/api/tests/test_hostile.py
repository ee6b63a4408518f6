"""Hostile values in every parameter and body field the OpenAPI description lists
(Hypothesis): NUL bytes and lone surrogates in any string, integers below zero and beyond
64 bits, bytes that are not UTF-8, JSON nested past the limit, truncated JSON and bodies
not declared as JSON — the seven causes of 5xx issue #12 found, as a class.

schemathesis (test_properties.py) generates what the schema allows and its boundaries;
it does not send lone surrogates, raw invalid bytes or deep nesting, which is this test's
part. Every answer must be below 500, a status the description documents, and a refusal
must name the field and the rule in the API's one shape and write nothing."""

import json
import os
from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xinyong.api.main import api
from xinyong.audit.models import AuditEvent
from xinyong.core.tests import fuzzstats
from xinyong.ingest.tests.conftest import penalty, push

EXAMPLES = int(os.environ.get("XINYONG_FUZZ_EXAMPLES", 25))
SPEC = api.get_openapi_schema(path_prefix="/api/v1")
COMPONENTS = SPEC["components"]["schemas"]
OPERATIONS = [
    (method, path, op) for path, methods in SPEC["paths"].items() for method, op in methods.items()
]

BAD_CHARS = ["\x00", "\ud800", "\udbff", "\udc00", "\udfff"]
hostile_text = st.builds(
    lambda a, bad, b: a + bad + b,
    st.text(max_size=8),
    st.sampled_from(BAD_CHARS),
    st.text(max_size=8),
)
texts = st.one_of(st.text(max_size=30), hostile_text, st.sampled_from(["", " ", "华为", "0"]))
ints = st.one_of(
    st.integers(-3, 3),
    st.integers(min_value=2**63 - 2, max_value=2**64 + 2),
    st.integers(max_value=-(2**63) + 1, min_value=-(2**64)),
    st.integers(min_value=2**64, max_value=2**200),
    st.integers(),
)
scalars = st.one_of(texts, ints, st.floats(), st.booleans(), st.none())
json_any = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(texts, inner, max_size=3)),
    max_leaves=8,
)


def _resolve(node: dict) -> dict:
    ref = node.get("$ref", "")
    return COMPONENTS[ref.rsplit("/", 1)[1]] if ref else node


def values_for(node: dict, depth: int = 0) -> st.SearchStrategy:
    """Values shaped like the schema node, hostile in their leaves (and sometimes of the
    wrong type altogether)."""
    node = _resolve(node)
    if "anyOf" in node:
        return st.one_of([values_for(n, depth) for n in node["anyOf"]])
    kind = node.get("type")
    if kind == "integer":
        shaped = ints
    elif kind == "number":
        shaped = st.one_of(ints, st.floats())
    elif kind == "string":
        shaped = st.one_of(texts, st.sampled_from(node.get("enum", ["x"])))
    elif kind == "boolean":
        shaped = st.booleans()
    elif kind == "array" and depth < 4:
        shaped = st.lists(values_for(node.get("items", {}), depth + 1), max_size=3)
    elif kind == "object" and depth < 4:
        props = {k: values_for(v, depth + 1) for k, v in node.get("properties", {}).items()}
        required = set(node.get("required", []))
        shaped = st.fixed_dictionaries(
            {k: v for k, v in props.items() if k in required},
            optional={k: v for k, v in props.items() if k not in required},
        )
        if node.get("additionalProperties") is True or not props:
            shaped = st.one_of(shaped, st.dictionaries(texts, json_any, max_size=4))
    else:
        shaped = json_any
    return st.one_of(shaped, shaped, shaped, json_any) if depth else shaped


def _encode(value) -> str:
    """A parameter value as the wire carries it: UTF-8 percent-encoded, a lone surrogate
    as the bytes it would be (which are not UTF-8)."""
    text = value if isinstance(value, str) else json.dumps(value)
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


MULTIPART = "multipart/form-data"
BOUNDARY = "hostile-boundary"


def _multipart(fields, files: set[str]) -> bytes:
    """A multipart body of these values as the wire carries them: text as UTF-8 (a lone
    surrogate as its bytes, which are not UTF-8), the file parts' values as their content."""
    if not isinstance(fields, dict):
        fields = {"body": fields}
    out = b""
    for name, value in fields.items():
        if value is None:
            continue
        text = value if isinstance(value, str) else json.dumps(value)
        data = text.encode("utf-8", "surrogatepass")
        head = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"'
        if name in files:
            head += '; filename="f.pdf"\r\nContent-Type: application/pdf'
        out += head.encode("utf-8", "surrogatepass") + b"\r\n\r\n" + data + b"\r\n"
    return out + f"--{BOUNDARY}--\r\n".encode()


def requests(path: str, op: dict) -> st.SearchStrategy:
    """Requests to one operation (strategies built once: building them is the slow part).
    A body is JSON, or multipart where the operation takes a file."""
    params = [(p, values_for(p["schema"])) for p in op.get("parameters", [])]
    body, files = None, None
    content = op.get("requestBody", {}).get("content", {})
    if MULTIPART in content:
        schema = content[MULTIPART]["schema"]
        body = values_for(schema)
        files = {k for k, v in schema["properties"].items() if v.get("format") == "binary"}
    elif content:
        body = values_for(content["application/json"]["schema"])
    return _requests(path, params, body, files)


@st.composite
def _requests(draw, path: str, params: list, body_values, files: set[str] | None = None):
    url = path
    query = []
    for param, values in params:
        value = draw(values)
        if param["in"] == "path":
            encoded = _encode(value) or "1"
            url = url.replace("{" + param["name"] + "}", encoded)
        elif param["in"] == "query" and draw(st.booleans()):
            query.append(f"{quote(param['name'])}={_encode(value)}")
    body, content_type = b"", None
    if body_values is not None and files is not None:
        body = _multipart(draw(body_values), files)
        content_type = f"{MULTIPART}; boundary={BOUNDARY}"
    elif body_values is not None:
        body = json.dumps(draw(body_values)).encode()  # \udxxx escapes, \u0000
        content_type = "application/json"
    if body_values is not None:
        mutation = draw(st.sampled_from(["none"] * 6 + ["bytes", "deep", "cut", "type"]))
        if mutation == "bytes":  # not UTF-8, inside a string or between tokens
            at = draw(st.integers(0, len(body)))
            body = (
                body[:at]
                + draw(st.sampled_from([b"\xff", b"\xc3\x28", b"\xed\xa0\x80"]))
                + body[at:]
            )
        elif mutation == "deep":
            n = draw(st.integers(60, 5000))
            body = b'{"rows": ' + b"[" * n + body + b"]" * n + b"}"
        elif mutation == "cut":
            body = body[: draw(st.integers(0, max(len(body) - 1, 0)))]
        elif mutation == "type":
            content_type = draw(
                st.sampled_from(["text/plain", "application/x-www-form-urlencoded", ""])
            )
    if query:
        url += "?" + "&".join(query)
    return url, body, content_type


@pytest.fixture
def city(client, market_token, org_with_rep):
    push(client, market_token, "administrative_penalty", [penalty(1), penalty(2)])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path", "op"), OPERATIONS, ids=[f"{m.upper()} {p}" for m, p, _ in OPERATIONS]
)
def test_hostile_values_in_every_field_get_4xx_naming_it(city, market_token, method, path, op):
    documented = {int(s) for s in op["responses"]}
    client = Client()
    headers = {"Authorization": f"Bearer {market_token}"}

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(requests(path, op))
    def check(request):
        url, body, content_type = request
        events = AuditEvent.objects.count()
        with fuzzstats.timed("api (hostile values)"):
            kwargs = {"content_type": content_type} if content_type is not None else {}
            r = client.generic(method.upper(), url, body, headers=headers, **kwargs)
        fuzzstats.record("api (hostile values)", r.status_code)
        assert r.status_code < 500, (url, body[:300], r.content[:500])
        assert r.status_code in documented, (url, body[:300], r.status_code, r.content[:300])
        if r.status_code >= 400:
            detail = r.json()["detail"]
            assert detail and all(
                set(e) == {"field", "rule", "message"} and e["rule"] for e in detail
            ), r.content
            assert AuditEvent.objects.count() == events  # a refusal writes nothing

    check()
