"""Deploy checks of the audit trail: in production its keys are its own."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from xinyong.audit.keys import parse_signing_key, production


@register(Tags.security, deploy=True)
def audit_keys_set(app_configs, **kwargs):
    """Without its own HMAC key the chain's key is derived from SECRET_KEY, which every web
    process holds: whoever reads it can edit an event and re-chain the rest. Without a
    signing key no checkpoint can be signed. Both refused in production."""
    if not production():
        return []
    errors = []
    key = settings.XINYONG_AUDIT_KEY
    if not key or key == settings.SECRET_KEY:
        errors.append(
            Error(
                "XINYONG_AUDIT_KEY is not set (or equals SECRET_KEY) in production",
                hint="Set XINYONG_AUDIT_KEY to a random secret of its own, e.g. "
                "python -c 'import secrets; print(secrets.token_urlsafe(32))'",
                id="xinyong.E010",
            )
        )
    signing = settings.XINYONG_AUDIT_SIGNING_KEY
    problem = "is not set" if not signing else None
    if signing:
        try:
            parse_signing_key(signing)
        except ValueError as e:
            problem = f"is invalid ({e})"
    if problem:
        errors.append(
            Error(
                f"XINYONG_AUDIT_SIGNING_KEY {problem} in production",
                hint="Set it to the output of `xinyong audit new-signing-key` and give "
                "`xinyong audit public-key` to whoever keeps the checkpoints",
                id="xinyong.E011",
            )
        )
    return errors
