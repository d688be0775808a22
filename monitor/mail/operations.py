"""Sending the outbox over SMTP (standard library ``smtplib``; plain text, UTF-8).

These are JOB-LEVEL functions (like a CLI command or a scheduler job), not operations in the design's sense:
they COMMIT, once to claim each message and once to record its outcome, so that one bad address or a mail
server that goes down half-way does not undo the messages already sent. Call them outside any unit of work you
still mean to roll back (``try_send_now`` only after the request's own commit).

* ``send_pending`` sends what is due (status pending, ``next_attempt_at`` <= now). A failed attempt counts
  (``attempts``), keeps the error (``last_error``) and waits before the next try: 1 min, 5 min, 30 min, 2 h,
  12 h; after ``MAIL_MAX_ATTEMPTS`` attempts the message is failed. When the server cannot be reached at all, the
  batch stops there: the other messages stay pending, untouched.
* Without ``MAIL_SERVER`` (the demo) nothing is sent: due messages become held, readable in the admin outbox.
* A message is claimed before sending (a conditional update that moves ``next_attempt_at`` ahead by
  ``CLAIM_FOR``), so two senders running at once (the scheduler and a web request) never send it twice, and no
  database transaction stays open while the mail server is talked to. If the process dies after claiming, the
  message is retried once the claim has expired (it may then arrive twice — better than not at all).
"""

from __future__ import annotations

import datetime as dt
import smtplib
import ssl
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Any, Iterable

from flask import current_app
from sqlalchemy import select, update

from ..extensions import db
from ..models_base import utcnow
from .models import MailStatus, OutboxMessage

BACKOFF = (dt.timedelta(minutes=1), dt.timedelta(minutes=5), dt.timedelta(minutes=30), dt.timedelta(hours=2),
           dt.timedelta(hours=12))
CLAIM_FOR = dt.timedelta(minutes=10)
MAX_ERROR_LENGTH = 300


@dataclass
class SendReport:
    """What one run did: ``retrying`` failed this time and will be tried again; ``failed`` gave up."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    held: int = 0

    def __str__(self) -> str:
        return f"sent: {self.sent}, to retry: {self.retrying}, failed: {self.failed}, held: {self.held}"


@dataclass(frozen=True)
class _Envelope:
    """The claimed message as plain data (nothing lazy-loads from the database while SMTP is talked to)."""

    id: int
    to_email: str
    to_name: str
    subject: str
    body: str
    attempts: int


class Unreachable(Exception):
    """The mail server could not be reached or refused the session (connect, STARTTLS or login failed)."""


def send_pending(now: dt.datetime | None = None, limit: int = 100) -> SendReport:
    """Send up to ``limit`` due messages, oldest due first; commits per message (see the module docstring)."""
    now = now or utcnow()
    ids = list(db.session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.status == MailStatus.PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    ))
    db.session.commit()  # end the read transaction (on SQLite it holds the write lock)
    return _deliver(ids, now, timeout=float(current_app.config.get("MAIL_TIMEOUT") or 10))


def try_send_now(message_ids: Iterable[int], now: dt.datetime | None = None) -> SendReport | None:
    """One quick attempt at these messages, for a web request right after it committed the change that queued
    them. Uses ``MAIL_SEND_NOW_TIMEOUT`` and swallows every error (logged): what is not sent stays pending for
    ``send_pending``. Returns the report, or None when something went wrong. Commits (per message)."""
    ids = [int(i) for i in message_ids if i is not None]
    if not ids:
        return SendReport()
    try:
        timeout = float(current_app.config.get("MAIL_SEND_NOW_TIMEOUT") or 3)
        return _deliver(ids, now or utcnow(), timeout=timeout)
    except Exception:  # noqa: BLE001 - the workflow change is committed; mail must never turn it into an error page
        db.session.rollback()
        current_app.logger.warning("immediate e-mail sending failed; the messages stay queued", exc_info=True)
        return None


def backoff_after(attempts: int) -> dt.timedelta:
    """How long to wait after the ``attempts``-th failed attempt."""
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


def _deliver(ids: list[int], now: dt.datetime, *, timeout: float) -> SendReport:
    report = SendReport()
    if not ids:
        return report
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        report.held = _hold(ids, now)
        return report
    max_attempts = int(config.get("MAIL_MAX_ATTEMPTS") or 6)
    sender = str(config.get("MAIL_SENDER") or "noreply@localhost")
    with SmtpSession(config, timeout) as smtp:
        for message_id in ids:
            envelope = _claim(message_id, now)
            if envelope is None:
                continue  # sent, held or claimed meanwhile by another sender
            try:
                smtp.send(build_email(envelope, sender, now))
            except Unreachable as exc:
                _record_failure(envelope, exc, now, max_attempts, report)
                break  # the server is down: leave the rest untouched instead of counting attempts against them
            except Exception as exc:  # noqa: BLE001 - any failure of this message is recorded on it
                _record_failure(envelope, exc, now, max_attempts, report)
            else:
                _record_success(envelope, now)
                report.sent += 1
    return report


def _hold(ids: list[int], now: dt.datetime) -> int:
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.status == MailStatus.PENDING,
               OutboxMessage.next_attempt_at <= now)
        .values(status=MailStatus.HELD)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _claim(message_id: int, now: dt.datetime) -> _Envelope | None:
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == MailStatus.PENDING,
               OutboxMessage.next_attempt_at <= now)
        .values(next_attempt_at=now + CLAIM_FOR)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        return None
    row = db.session.execute(
        select(OutboxMessage.id, OutboxMessage.to_email, OutboxMessage.to_name, OutboxMessage.subject,
               OutboxMessage.body, OutboxMessage.attempts).where(OutboxMessage.id == message_id)
    ).one()
    db.session.commit()
    return _Envelope(*row)


def _record_success(envelope: _Envelope, now: dt.datetime) -> None:
    db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == envelope.id)
        .values(status=MailStatus.SENT, sent_at=now, attempts=envelope.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _record_failure(envelope: _Envelope, exc: BaseException, now: dt.datetime, max_attempts: int,
                    report: SendReport) -> None:
    attempts = envelope.attempts + 1
    gave_up = attempts >= max_attempts
    db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == envelope.id)
        .values(attempts=attempts, last_error=describe_error(exc),
                status=MailStatus.FAILED if gave_up else MailStatus.PENDING,
                next_attempt_at=now + backoff_after(attempts))
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if gave_up:
        report.failed += 1
    else:
        report.retrying += 1
    current_app.logger.warning("e-mail %s not sent (attempt %s): %s", envelope.id, attempts, describe_error(exc))


def describe_error(exc: BaseException) -> str:
    """A short, single-line description for ``last_error`` (the admin outbox shows it)."""
    cause = exc.__cause__ if isinstance(exc, Unreachable) and exc.__cause__ else exc
    detail = " ".join(str(cause).split()) or "no detail"
    prefix = "server unreachable: " if isinstance(exc, Unreachable) else ""
    return (prefix + f"{type(cause).__name__}: {detail}")[:MAX_ERROR_LENGTH]


def build_email(envelope: _Envelope, sender: str, now: dt.datetime) -> EmailMessage:
    """A plain-text UTF-8 message; raises ValueError (or a header error) for an unusable address."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = Address(display_name=envelope.to_name, addr_spec=envelope.to_email)
    message["Subject"] = envelope.subject
    message["Date"] = format_datetime(now)
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(domain=domain)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: out-of-office replies are not wanted
    message.set_content(envelope.body, subtype="plain", charset="utf-8")
    return message


class SmtpSession:
    """One SMTP connection, opened on the first message and reused for the batch; reopened after an error."""

    def __init__(self, config: Any, timeout: float) -> None:
        self.host = str(config["MAIL_SERVER"])
        self.port = int(config.get("MAIL_PORT") or 25)
        self.use_tls = bool(config.get("MAIL_USE_TLS"))
        self.username = config.get("MAIL_USERNAME") or None
        self.password = config.get("MAIL_PASSWORD") or ""
        self.timeout = timeout
        self._client: smtplib.SMTP | None = None

    def __enter__(self) -> "SmtpSession":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _connect(self) -> smtplib.SMTP:
        try:
            client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        except (OSError, smtplib.SMTPException) as exc:
            raise Unreachable(str(exc)) from exc
        try:
            if self.use_tls:
                client.starttls(context=ssl.create_default_context())
            if self.username:
                client.login(str(self.username), str(self.password))
        except (OSError, smtplib.SMTPException) as exc:
            _close_quietly(client)
            raise Unreachable(str(exc)) from exc
        return client

    def send(self, message: EmailMessage) -> None:
        """Hand one message to the server (raises on failure; ``Unreachable`` when no session could be made)."""
        if self._client is not None:
            try:
                self._client.send_message(message)
                return
            except smtplib.SMTPServerDisconnected:
                self.close()  # servers drop idle connections: try once more on a fresh one, below
            except Exception:
                self.close()  # the session's state is unknown after an error: start the next message afresh
                raise
        self._client = self._connect()
        try:
            self._client.send_message(message)
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        if self._client is not None:
            _close_quietly(self._client)
            self._client = None


def _close_quietly(client: smtplib.SMTP) -> None:
    try:
        client.quit()
    except Exception:  # noqa: BLE001 - the connection is going away anyway
        client.close()
