#!/usr/bin/env python3
"""Verify a credit report of the xinyong platform offline.

A report comes as a PDF and a JSON twin: {"report": {...}, "signature": {"alg",
"key_id", "public_key", "value"}}. The platform signs the canonical JSON of "report"
(sorted keys, no whitespace, UTF-8) with Ed25519; "report" carries the PDF's SHA-256, so
the one signature covers both files.

The key to trust comes from you, not from the file: give the platform's public key
(base64url, as published on its /verify/keys/ page) with --key, or the key list saved from
GET /api/v1/reports/keys with --keys; the key named by the twin's key_id is used.

    python verify_report.py report.json --keys keys.json --pdf report.pdf
    python verify_report.py report.json --key=<base64url public key>  # "=": keys may start with "-"

Prints GENUINE and exits 0, or NOT GENUINE with what failed and exits 1. Needs only the
standard library and the `cryptography` package; no part of the platform."""

import argparse
import base64
import binascii
import datetime
import hashlib
import json
import sys
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def canonical(obj) -> bytes:
    """The bytes the signature covers (the platform's rule, reports/signing.py)."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def unb64(text: str) -> bytes:
    text = text.strip()
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def key_id(public: bytes) -> str:
    """The platform's short name of a public key: 16 hex digits of its SHA-256."""
    return hashlib.sha256(public).hexdigest()[:16]


class Failed(Exception):
    pass


def _public_key(text: str) -> bytes:
    try:
        raw = unb64(text)
    except (binascii.Error, ValueError):
        raise Failed(f"the public key {text[:20]!r}… is not base64url") from None
    if len(raw) != 32:
        raise Failed(f"the public key has {len(raw)} bytes, an Ed25519 key has 32")
    return raw


def trusted_key(args, wanted: str) -> bytes:
    """The key the user trusts for ``wanted`` (the twin's key_id)."""
    if args.key:
        raw = _public_key(args.key)
        if key_id(raw) != wanted:
            raise Failed(
                f"the report was signed with key {wanted}, "
                f"the key given is {key_id(raw)}: not the key named in the report"
            )
        return raw
    try:
        data = json.loads(Path(args.keys).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise Failed(f"cannot read the keys file {args.keys}: {e}") from None
    entries = data.get("keys", []) if isinstance(data, dict) else data
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and entry.get("key_id") == wanted:
            raw = _public_key(str(entry.get("public_key", "")))
            if key_id(raw) != wanted:
                raise Failed(f"the keys file lists key {wanted} with a public key of another id")
            return raw
    raise Failed(f"the report was signed with key {wanted}, which the keys file does not list")


def verify(args) -> dict:
    try:
        twin = json.loads(Path(args.twin).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise Failed(f"cannot read the report file {args.twin}: {e}") from None
    if not isinstance(twin, dict) or not isinstance(twin.get("report"), dict):
        raise Failed('the report file has no "report" object')
    report, signature = twin["report"], twin.get("signature")
    if not isinstance(signature, dict):
        raise Failed('the report file has no "signature" object')
    if signature.get("alg") != "Ed25519":
        raise Failed(f"unknown signature algorithm {signature.get('alg')!r}")
    wanted = str(signature.get("key_id", ""))
    public = trusted_key(args, wanted)
    try:
        value = unb64(str(signature.get("value", "")))
        Ed25519PublicKey.from_public_bytes(public).verify(value, canonical(report))
    except (InvalidSignature, binascii.Error, ValueError):
        raise Failed(
            "the signature does not match the report's content (changed after signing)"
        ) from None
    if args.pdf:
        try:
            digest = hashlib.sha256(Path(args.pdf).read_bytes()).hexdigest()
        except OSError as e:
            raise Failed(f"cannot read the PDF {args.pdf}: {e}") from None
        if digest != report.get("pdf_sha256"):
            raise Failed(
                f"the PDF's SHA-256 {digest} is not the signed {report.get('pdf_sha256')}: "
                "the file was changed, or belongs to another report"
            )
    return report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("twin", help="the report's JSON file (report + signature)")
    trust = parser.add_mutually_exclusive_group(required=True)
    trust.add_argument("--key", help="the platform's public key (base64url; write --key=KEY)")
    trust.add_argument("--keys", help="the key list saved from GET /api/v1/reports/keys")
    parser.add_argument("--pdf", help="the report's PDF, checked against the signed digest")
    args = parser.parse_args(argv)
    if hasattr(sys.stdout, "reconfigure"):  # names are Chinese; never fail on a console
        sys.stdout.reconfigure(errors="replace")
    try:
        report = verify(args)
    except Failed as e:
        print(f"NOT GENUINE: {e}")
        return 1
    subject = report.get("subject") or {}
    print("GENUINE")
    print(f"  number:      {report.get('number')}")
    print(f"  report:      {report.get('title')}（{report.get('edition')}）")
    print(f"  subject:     {subject.get('name')} {subject.get('code')}")
    print(f"  issued by:   {report.get('issuer')} at {report.get('issued_at')}")
    ended = str(report.get("valid_until", "")) < datetime.date.today().isoformat()
    print(f"  valid until: {report.get('valid_until')}" + (" (validity ended)" if ended else ""))
    print(f"  pdf sha256:  {report.get('pdf_sha256')}" + ("" if args.pdf else " (PDF not checked)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
