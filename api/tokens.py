"""Making and checking token strings: pure functions, no database.

A token is ``aigov_`` followed by 43 URL-safe characters (256 random bits). The database keeps
its SHA-256 digest and its first 14 characters; the token itself is shown once, when made.
"""

import hashlib
import secrets

TOKEN_PREFIX = "aigov_"
VISIBLE = len(TOKEN_PREFIX) + 8
# Longer strings are not tokens of ours; refusing them early keeps hashing bounded.
MAX_TOKEN_LENGTH = 100


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def visible_prefix(raw: str) -> str:
    return raw[:VISIBLE]


def looks_like_token(raw: str) -> bool:
    return raw.startswith(TOKEN_PREFIX) and len(raw) <= MAX_TOKEN_LENGTH and raw.isascii()
