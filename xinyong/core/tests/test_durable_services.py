"""The public services of the apps whose acts compose (lists, remedies) open a DURABLE
transaction: one service folded into another's transaction would make one user act with
two audit events, and Django then refuses at once (RuntimeError) instead of merging them.
Steps they share are plain functions without a transaction or audit event of their own."""

import ast
from pathlib import Path

import xinyong

ROOT = Path(xinyong.__file__).parent
PACKAGES = ["lists/services", "remedies/services", "reports/services"]


def _atomic_calls(fn: ast.FunctionDef):
    for node in ast.walk(fn):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "atomic"
        ):
            yield node


def test_public_services_open_durable_transactions():
    plain = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).glob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for fn in tree.body:
                if not isinstance(fn, ast.FunctionDef) or fn.name.startswith("_"):
                    continue
                for call in _atomic_calls(fn):
                    durable = any(
                        k.arg == "durable" and getattr(k.value, "value", None) is True
                        for k in call.keywords
                    )
                    if not durable:
                        plain.append(f"{package}/{path.name}:{fn.name}")
    assert plain == []
