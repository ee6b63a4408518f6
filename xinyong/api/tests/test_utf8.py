"""API bodies are UTF-8 text, errors like successes: a Chinese message reads as Chinese in
a log, a terminal or a browser, not as \\uXXXX escapes."""

import json

from django.test import Client

HUAWEI = "914403001922038216"


def _client(token: str | None = None) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"} if token else {})


def _plain_utf8(response, text: str) -> None:
    assert response["Content-Type"].startswith("application/json")
    assert text.encode("utf-8") in response.content and b"\\u" not in response.content


def test_error_bodies_are_plain_utf8(market_token, db):
    # 401: no token; 404: no route; 422: the service's rule; 422: the request guard.
    _plain_utf8(_client().get(f"/api/v1/subjects/{HUAWEI}"), "缺少、无效或过期的接口令牌")
    _plain_utf8(_client().get("/api/v1/no-such-route"), "没有这个接口地址")
    c = _client(market_token)
    bad = c.post("/api/v1/subjects", json.dumps({"uscc": "914403001922038217", "name": "甲"}),
                 content_type="application/json")  # fmt: skip
    assert bad.status_code == 422
    message = bad.json()["detail"][0]["message"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)
    _plain_utf8(bad, message)
    guarded = c.get("/api/v1/subjects", {"q": "华\x00为"})
    assert guarded.status_code == 422  # (its message names the character as "\\u0000")
    assert "不能包含空字符".encode() in guarded.content


def test_success_bodies_are_plain_utf8(market_token):
    c = _client(market_token)
    created = c.post("/api/v1/subjects", json.dumps({"uscc": HUAWEI, "name": "华为技术有限公司"}),
                     content_type="application/json")  # fmt: skip
    assert created.status_code == 201
    _plain_utf8(c.get(f"/api/v1/subjects/{HUAWEI}"), "华为技术有限公司")
