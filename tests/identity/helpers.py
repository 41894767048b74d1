"""Authenticators made directly, and TOTP codes computed as an authenticator app computes them."""

import base64
import hashlib
import hmac
import struct
import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret


def security_key(user, name="Key"):
    """A WebAuthn authenticator row (its credential is not a real one: nothing here signs)."""
    return Authenticator.objects.create(
        user=user,
        type=Authenticator.Type.WEBAUTHN,
        data={
            "name": name,
            "credential": {"type": "public-key", "id": "a2V5", "rawId": "a2V5", "response": {}},
            "passwordless": False,
        },
    )


def totp_for(user):
    """TOTP for ``user`` with a known secret: (authenticator, secret)."""
    secret = generate_totp_secret()
    return TOTP.activate(user, secret).instance, secret


def totp_code(secret: str, offset: int = 0, at: float | None = None) -> str:
    """RFC 6238 with its defaults (SHA-1, 30 s, 6 digits), written out here rather than taken
    from allauth, so that the test checks allauth against the standard and not against itself."""
    counter = int((time.time() if at is None else at) // 30) + offset
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    start = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[start : start + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"
