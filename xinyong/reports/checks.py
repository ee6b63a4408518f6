"""Deploy check of reports: in production the key signing them is the platform's own."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from xinyong.audit.keys import parse_signing_key, production


@register(Tags.security, deploy=True)
def report_signing_key_set(app_configs, **kwargs):
    """Outside production the report key is derived from SECRET_KEY, which every web
    process holds: whoever reads it could sign a forged report that verifies offline.
    Refused in production, as is a key that is not a 32-byte url-safe base64 seed (the
    first report would fail to issue)."""
    if not production():
        return []
    text = getattr(settings, "XINYONG_REPORT_SIGNING_KEY", "")
    problem = "is not set" if not text else None
    if text:
        try:
            parse_signing_key(text)
        except ValueError as e:
            problem = f"is invalid ({e})"
    if not problem:
        return []
    return [
        Error(
            f"XINYONG_REPORT_SIGNING_KEY {problem} in production",
            hint="Set it to the output of `xinyong audit new-signing-key` (a key of its own, "
            "not the audit's); when rotating, keep the old reports verifiable: the old key "
            "stays published on /verify/keys/",
            id="xinyong.E012",
        )
    ]
