"""Absolute links in e-mails: they are read outside the site, so every link names the site (``MAIL_BASE_URL``)."""

from __future__ import annotations

from flask import current_app

DEFAULT_BASE_URL = "http://127.0.0.1:5000"


def absolute_url(path: str) -> str:
    """``MAIL_BASE_URL`` + ``path`` (e-mails are read outside the site, so links must be absolute)."""
    base = str(current_app.config.get("MAIL_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
    return base + path
