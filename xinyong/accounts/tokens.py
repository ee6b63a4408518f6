"""API tokens: their form, their hash, and this process's memory of tokens recently
verified. Kept apart from services (which issue and revoke) and selectors (which verify),
so that neither imports the other."""

import hashlib

TOKEN_PREFIX = "xy_"  # noqa: S105 - a public marker, not a secret

# Tokens verified against the database in the last few seconds, by their hash: the credit
# check is called at every counter, and the client row rarely changes. Expiry is checked on
# every request; a revocation reaches this process at once and the others within
# AUTH_CACHE_SECONDS.
AUTH_CACHE_SECONDS = 10.0
verified: dict[str, tuple[object, float]] = {}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def api_clients_forget() -> None:
    """After a client changed (revoked): verify every token against the database again."""
    verified.clear()
