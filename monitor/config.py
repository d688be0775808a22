"""Configuration in layers: defaults here → ``instance/config.py`` → environment → a mapping passed by tests."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any, Mapping

ENV_PREFIX = "MONITOR_"


class Defaults:
    # secrets come from the environment or instance/config.py; this one only serves development and tests
    SECRET_KEY = "dev-only-not-secret"
    SQLALCHEMY_DATABASE_URI: str | None = None  # set from DATABASE_URL or the instance folder
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True}

    # cookies and sessions (ecosystem.md §5): secure by default; the demo on plain http turns SECURE off
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)

    # request limits
    # Werkzeug's form limits only apply to multipart posts; the section forms are url-encoded, so the request
    # size is the limit that counts; a municipality's Excel upload fits in it too
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    # an administrator's bulk import of a past year (one workbook for all municipalities; a realistic year is
    # ~0.1 MiB); what the file may unpack to is bounded in reports/excel/bulk.py
    IMPORT_MAX_CONTENT_LENGTH = 5 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 500 * 1024
    MAX_FORM_PARTS = 3000  # the full return has ~150 fields plus repeated rows

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = 8 * 3600  # a municipality official may keep a section open for a working day

    BABEL_DEFAULT_LOCALE = "lv"
    BABEL_DEFAULT_TIMEZONE = "Europe/Riga"
    LANGUAGES = ("lv", "en")

    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = "10 per minute;50 per hour"
    API_RATE_LIMIT = "120 per minute"  # anonymous use of /api/v1/, per address (one budget for the whole API)
    # failed sign-ins count per account AND source address (monitor.auth.throttle): a stranger blocks only
    # their own address. The LOGIN_MAX_FAILURES-th failure within the window blocks the pair; each further one
    # doubles the block, up to the maximum
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCK_SECONDS = 60
    LOGIN_LOCK_MAX_SECONDS = 15 * 60
    LOGIN_FAILURE_WINDOW_SECONDS = 3600  # failures older than this no longer count
    # the password-change page and the two-step sign-in settings, per signed-in user (all share one budget)
    ACCOUNT_RATE_LIMIT = "5 per minute;30 per hour"
    # roles that must use two-step sign-in (TOTP): names separated by commas, "" or "none" for none; unset:
    # "admin,reviewer", but none in the demo (monitor.auth.twofactor.required_roles)
    TWO_FACTOR_REQUIRED_ROLES: str | None = None
    TWO_FACTOR_PENDING_SECONDS = 600  # between the right password and the code (or finishing the set-up)

    PASSWORD_MIN_LENGTH = 12
    ARGON2_PROFILE = "RFC_9106_LOW_MEMORY"  # tests use CHEAPEST

    FORCE_HTTPS = False  # set True behind TLS; Talisman then redirects and sends HSTS
    PROXY_FIX_COUNT = 0  # number of trusted proxies in front of the app (ProxyFix)

    MONITOR_DEMO = False

    # "json": every log line is one JSON object (request id, user id, …) on standard error — the production
    # recipe; "text" leaves logging to the server (development)
    LOG_FORMAT = "text"

    # report pages: a national or regional figure on fewer counted municipalities than this (but some) is shown
    # with a warning and without any change against earlier years or the references
    REPORT_SMALL_BASE = 5
    # the scheduler builds a new snapshot's report documents (PDF, Latvian and English) right after compiling it;
    # off, they are built when first downloaded
    REPORT_DOCUMENTS_ON_COMPILE = True
    # the scheduler builds and stores every download of a compiled year (Excel and CSV, codes and labels, LV and EN),
    # so that downloading it takes no work; off, each download is built on request in the background
    EXPORT_FILES_ON_COMPILE = True

    # the scheduler process (python -m scheduler): lease time-to-live and renewal, and which job list
    SCHEDULER_LEASE_SECONDS = 30
    SCHEDULER_RENEW_SECONDS = 10
    SCHEDULER_JOBS: str | None = None  # "test": the fast job list used by the process tests

    # backups (monitor.backup): the directory `flask backup create` and the nightly job write to (None: the instance
    # folder's backups/; better another disk); the nightly job keeps the newest backup of each of the last
    # BACKUP_KEEP_DAILY days and BACKUP_KEEP_WEEKLY weeks that have one
    BACKUP_DIR: str | None = None
    BACKUP_KEEP_DAILY = 7
    BACKUP_KEEP_WEEKLY = 4

    # e-mail (monitor.mail): without MAIL_SERVER (the demo) messages are kept in the admin outbox as "held"
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False  # STARTTLS after connecting
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_SENDER = "Remigrācijas monitorings <noreply@monitor.example>"
    MAIL_TIMEOUT = 10  # seconds, per SMTP connection (the send job)
    MAIL_SEND_NOW_TIMEOUT = 3  # seconds, for the one attempt a web request makes right after its commit
    MAIL_MAX_ATTEMPTS = 6  # then the message is marked failed
    # links in e-mails are built from it; required when MAIL_SERVER is set (the demo derives it from PORT)
    MAIL_BASE_URL: str | None = None
    MAIL_REMINDER_DAYS_BEFORE = (7, 1)  # days before the effective deadline on which reminders are queued
    MAIL_REMINDER_DAYS_AFTER = (1, 7)  # days after it


def _env_value(raw: str) -> Any:
    low = raw.lower()
    if low in ("true", "1", "yes", "on"):
        return True
    if low in ("false", "0", "no", "off"):
        return False
    if raw.isdigit():
        return int(raw)
    return raw


def load_config(app_config: dict[str, Any], instance_path: str, overrides: Mapping[str, Any] | None) -> None:
    """Fill ``app.config`` layer by layer."""
    for key in dir(Defaults):
        if key.isupper():
            app_config[key] = getattr(Defaults, key)
    instance_file = Path(instance_path) / "config.py"
    if instance_file.exists():
        namespace: dict[str, Any] = {}
        exec(compile(instance_file.read_text(encoding="utf-8"), str(instance_file), "exec"), namespace)
        app_config.update({k: v for k, v in namespace.items() if k.isupper()})
    if os.environ.get("DATABASE_URL"):
        app_config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(os.environ["DATABASE_URL"])
    if os.environ.get("SECRET_KEY"):
        app_config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    for name, raw in os.environ.items():
        if name.startswith(ENV_PREFIX):
            key = name[len(ENV_PREFIX):]
            app_config[key if key in app_config else name] = _env_value(raw)
    if overrides:
        app_config.update(overrides)
    if not app_config.get("SQLALCHEMY_DATABASE_URI"):
        app_config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(Path(instance_path) / "monitor.sqlite3")
    app_config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(app_config["SQLALCHEMY_DATABASE_URI"])
    if app_config.get("MONITOR_DEMO") and not app_config.get("MAIL_BASE_URL"):
        # the demo's e-mail links point at the port it is served on (./dev demo: PORT, default 5000)
        app_config["MAIL_BASE_URL"] = f"http://127.0.0.1:{os.environ.get('PORT') or 5000}"
    # only the test suite's own mapping may skip the production checks: no environment variable or instance
    # setting (MONITOR_TESTING, MONITOR_DEMO, FLASK_DEBUG, …) switches them off
    if not (overrides and overrides.get("TESTING")):
        check_secret_key(app_config.get("SECRET_KEY"))
        check_mail_base_url(app_config)
    if app_config.get("MONITOR_DEMO"):
        # the demo runs on http://127.0.0.1, where browsers drop Secure cookies
        app_config["SESSION_COOKIE_SECURE"] = False
        app_config["REMEMBER_COOKIE_SECURE"] = False


SECRET_KEY_MIN_BYTES = 32


def check_secret_key(key: Any) -> None:
    """Refuse to start with a missing, short or published ``SECRET_KEY``: it signs the session cookies, so anyone
    who knows or guesses it can sign in as any user."""
    how = ("Set the SECRET_KEY environment variable (or SECRET_KEY in instance/config.py) to a long random value, "
           "e.g. python3 -c 'import secrets; print(secrets.token_hex(32))', and keep it stable.")
    if not key or key == Defaults.SECRET_KEY:
        raise RuntimeError(f"SECRET_KEY is not set (or is the published development value). {how}")
    size = len(key.encode("utf-8") if isinstance(key, str) else bytes(key))
    if size < SECRET_KEY_MIN_BYTES:
        raise RuntimeError(f"SECRET_KEY is too short ({size} bytes; at least {SECRET_KEY_MIN_BYTES}). {how}")


def check_mail_base_url(config: Mapping[str, Any]) -> None:
    """With a mail server, e-mails leave the machine: their links must point at the real site."""
    base = config.get("MAIL_BASE_URL")
    if config.get("MAIL_SERVER") and not base:
        raise RuntimeError("MONITOR_MAIL_BASE_URL is not set: with MONITOR_MAIL_SERVER set, e-mails would link to "
                           "http://127.0.0.1:5000. Set it to the address users open, e.g. "
                           "MONITOR_MAIL_BASE_URL=https://monitor.example.lv")
    if base and not str(base).startswith(("https://", "http://")):
        raise RuntimeError(f"MONITOR_MAIL_BASE_URL must start with https:// (or http://), not {base!r}")


def normalise_database_url(url: str) -> str:
    """``postgres://`` and ``postgresql://`` both mean psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
