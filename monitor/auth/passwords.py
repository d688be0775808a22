"""Argon2id password hashing (argon2-cffi), with rehash on login when parameters change."""

from __future__ import annotations

import unicodedata

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

_HASHERS: dict[str, PasswordHasher] = {}
# verified against when the e-mail is unknown, so that both paths take the same time
_DUMMY: dict[str, str] = {}


def _hasher() -> PasswordHasher:
    name = current_app.config["ARGON2_PROFILE"]
    if name not in _HASHERS:
        _HASHERS[name] = PasswordHasher.from_parameters(getattr(profiles, name))
    return _HASHERS[name]


def normalise(password: str) -> str:
    return unicodedata.normalize("NFKC", password)


def hash_password(password: str) -> str:
    return _hasher().hash(normalise(password))


def verify_password(stored_hash: str | None, password: str) -> bool:
    hasher = _hasher()
    if stored_hash is None:
        name = current_app.config["ARGON2_PROFILE"]
        if name not in _DUMMY:
            _DUMMY[name] = hasher.hash("dummy password for timing")
        stored_hash = _DUMMY[name]
        password = password + "\x00never"
    try:
        return hasher.verify(stored_hash, normalise(password))
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher().check_needs_rehash(stored_hash)
