"""Keys derived from ``SECRET_KEY``: keyed digests (for values that must be compared but never stored as typed)
and the encryption of two-step sign-in secrets.

Each use derives its own key (HMAC of the purpose), so a digest of one kind can never be replayed as another.
Encryption also accepts ``SECRET_KEY_FALLBACKS`` (Flask's key rotation): after a rotation the secrets of the old key
still decrypt and are re-encrypted with the new one at their next use, and recovery codes are recognised under the
old key too. The failed-sign-in counters and the audit log's digests follow the current key only: a rotation
forgets the counters and changes the digests shown from then on.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app


def _secret_keys() -> list[bytes]:
    fallbacks = current_app.config.get("SECRET_KEY_FALLBACKS") or ()
    keys = [current_app.config["SECRET_KEY"], *([fallbacks] if isinstance(fallbacks, (str, bytes)) else fallbacks)]
    return [key.encode("utf-8") if isinstance(key, str) else bytes(key) for key in keys]


def _derived(secret: bytes, purpose: str) -> bytes:
    return hmac.new(secret, b"monitor.auth:" + purpose.encode("ascii"), hashlib.sha256).digest()


def keyed_digest(purpose: str, value: str) -> str:
    """A hex HMAC-SHA-256 of ``value`` under the current key of ``purpose`` (64 characters)."""
    return keyed_digests(purpose, value)[0]


def keyed_digests(purpose: str, value: str) -> list[str]:
    """``keyed_digest`` under the current key and each fallback key (to recognise digests made before a
    rotation)."""
    return [hmac.new(_derived(secret, purpose), value.encode("utf-8"), hashlib.sha256).hexdigest()
            for secret in _secret_keys()]


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(base64.urlsafe_b64encode(_derived(secret, "totp-secret")))
                        for secret in _secret_keys()])


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str | None:
    """The plain text, or None when no current or fallback key opens it (the secret key was replaced outright)."""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        return None


def reencrypt(token: str) -> str:
    """``token`` encrypted with the current key (unchanged meaning)."""
    return _fernet().rotate(token.encode("ascii")).decode("ascii")
