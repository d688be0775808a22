"""E-mail: texts in both languages, recipients, deadline reminders, sending through a real SMTP server on
loopback (aiosmtpd), retries and giving up, held messages without a server, the admin outbox page."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket
from typing import Any, Iterator

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from tests.conftest import make_user, test_config
from tests.factories import make_return

DEADLINE = dt.date(2027, 3, 31)  # of the 2026 reporting period (tests/conftest loads the default periods)


# ------------------------------------------------------------------------------------------------ helpers


def _update_user(app, user_id: int, **fields: Any) -> None:
    from monitor.auth.models import User
    from monitor.extensions import db

    with app.app_context():
        user = db.session.get(User, user_id)
        for name, value in fields.items():
            setattr(user, name, value)
        db.session.commit()


def _notify(app, return_id: int, fn_name: str, *args: Any) -> list[dict[str, Any]]:
    """Call a notify_* function on the return, commit, and give the messages back as plain dicts."""
    from monitor.extensions import db
    from monitor.returns import notifications
    from monitor.returns.models import AnnualReturn

    with app.app_context():
        messages = getattr(notifications, fn_name)(db.session.get(AnnualReturn, return_id), *args)
        rows = [_row(m) for m in messages]
        db.session.commit()
        return rows


def _row(m) -> dict[str, Any]:
    return {c: getattr(m, c) for c in ("id", "kind", "to_email", "to_name", "user_id", "locale", "subject", "body",
                                        "status", "attempts", "last_error", "next_attempt_at", "sent_at",
                                        "dedupe_key", "municipality_id", "return_id")}


def _remind(app, day: dt.date, year: int = 2026) -> list[dict[str, Any]]:
    from monitor.extensions import db
    from monitor.periods.models import ReportingPeriod
    from monitor.returns.notifications import queue_deadline_reminders

    with app.app_context():
        period = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.year == year))
        rows = [_row(m) for m in queue_deadline_reminders(period, day)]
        db.session.commit()
        return rows


def _messages(app) -> list[dict[str, Any]]:
    from monitor.extensions import db
    from monitor.mail.models import OutboxMessage

    with app.app_context():
        return [_row(m) for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


def _by_email(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["to_email"]: r for r in rows}


@pytest.fixture
def people(app, users):
    """The conftest users plus: an English-speaking editor and reviewer, inactive ones, Latvian names."""
    extra = {
        "editor_en": make_user(app, "editor-en@test.lv", "editor", municipality="cesu-novads", locale="en"),
        "reviewer_en": make_user(app, "reviewer-en@test.lv", "reviewer", region="vidzeme-region", locale="en"),
        "editor_gone": make_user(app, "gone@test.lv", "editor", municipality="cesu-novads"),
        "reviewer_gone": make_user(app, "gone-reviewer@test.lv", "reviewer", region="vidzeme-region"),
        "valmiera": make_user(app, "valmiera@test.lv", "editor", municipality="valmieras-novads"),
        "ventspils": make_user(app, "ventspils@test.lv", "editor", municipality="ventspils"),
        "sigulda": make_user(app, "sigulda@test.lv", "editor", municipality="siguldas-novads"),
    }
    _update_user(app, users["editor"].id, name="Ilze Bērziņa")
    _update_user(app, extra["editor_gone"].id, is_active_account=False)
    _update_user(app, extra["reviewer_gone"].id, is_active_account=False)
    return {**users, **extra}


# -------------------------------------------------------------------------------------- texts and recipients


def test_submitted_goes_to_the_regions_active_reviewers_in_their_language(app, people):
    rid = make_return(app, "cesu-novads", 2026, actor_id=people["editor"].id, status="submitted")
    rows = _by_email(_notify(app, rid, "notify_submitted"))
    assert set(rows) == {"reviewer@test.lv", "reviewer-en@test.lv"}  # not Kurzeme's, not the inactive one
    lv, en = rows["reviewer@test.lv"], rows["reviewer-en@test.lv"]
    assert lv["subject"] == "Cēsu novads: iesniegts gada pārskats par 2026. gadu"
    assert en["subject"] == "Cēsis Municipality submitted its yearly return for 2026"
    assert lv["body"].startswith("Labdien, Reviewer!\n\nJūsu plānošanas reģionā ir iesniegts gada pārskats")
    assert "Pašvaldība: Cēsu novads\nPārskata gads: 2026\n" in lv["body"]
    assert "Lūdzu, izvērtējiet pārskatu" in lv["body"] and lv["body"].endswith("uz to nav jāatbild.\n")
    assert en["body"].startswith("Dear Reviewer-En,\n\n") and "Municipality: Cēsis Municipality\n" in en["body"]
    for row in (lv, en):
        assert "http://127.0.0.1:5000/review/cesu-novads/2026\n" in row["body"]
        assert row["kind"] == "submitted" and row["status"] == "pending" and row["return_id"] == rid
    assert (lv["locale"], en["locale"]) == ("lv", "en")


def test_resubmitted_says_so(app, people):
    rid = make_return(app, "cesu-novads", 2026, actor_id=people["editor"].id, status="resubmitted")
    rows = _by_email(_notify(app, rid, "notify_submitted"))
    assert rows["reviewer@test.lv"]["subject"] == "Cēsu novads: atkārtoti iesniegts gada pārskats par 2026. gadu"
    assert rows["reviewer-en@test.lv"]["subject"] == "Cēsis Municipality resubmitted its yearly return for 2026"
    assert "Lūdzu, pārbaudiet labojumus" in rows["reviewer@test.lv"]["body"]
    assert {r["kind"] for r in rows.values()} == {"resubmitted"}


def test_returned_goes_to_the_municipalitys_active_editors_with_reason_and_comment_count(app, people):
    rid = make_return(app, "cesu-novads", 2026, actor_id=people["editor"].id, status="returned")
    reason = "Lūdzu, precizējiet 3. sadaļas budžeta summas {x}."
    rows = _by_email(_notify(app, rid, "notify_returned", reason, 3))
    # Cēsis editors only: not Liepāja's, not the inactive one, never reviewers or admins
    assert set(rows) == {"editor@test.lv", "editor2@test.lv", "editor-en@test.lv"}
    lv, en = rows["editor@test.lv"], rows["editor-en@test.lv"]
    assert lv["subject"] == "Gada pārskats par 2026. gadu atgriezts labošanai"
    assert en["subject"] == "Your yearly return for 2026 has been returned for correction"
    assert lv["body"].startswith("Labdien, Ilze Bērziņa!\n\nJūsu pašvaldības gada pārskats ir atgriezts labošanai.")
    assert f"Iemesls:\n{reason}\n\n" in lv["body"] and f"Reason:\n{reason}\n\n" in en["body"]
    assert "Komentāri pie atsevišķiem jautājumiem: 3. Tos redzēsiet pārskatā" in lv["body"]
    assert "Comments on individual questions: 3. You will find them in the return" in en["body"]
    assert "http://127.0.0.1:5000/returns/cesu-novads/2026\n" in lv["body"]
    assert lv["to_name"] == "Ilze Bērziņa"

    rows = _by_email(_notify(app, rid, "notify_returned", "Atvērts atkārtoti.", 0))
    assert "Pie atsevišķiem jautājumiem komentāru nav." in rows["editor@test.lv"]["body"]
    assert "There are no comments on individual questions." in rows["editor-en@test.lv"]["body"]


def test_approved_text_exactly(app, people, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_BASE_URL", "https://monitors.example.lv/")
    rid = make_return(app, "cesu-novads", 2026, actor_id=people["editor"].id, status="approved")
    rows = _by_email(_notify(app, rid, "notify_approved"))
    assert set(rows) == {"editor@test.lv", "editor2@test.lv", "editor-en@test.lv"}
    assert rows["editor@test.lv"]["subject"] == "Gada pārskats par 2026. gadu apstiprināts"
    assert rows["editor@test.lv"]["body"] == (
        "Labdien, Ilze Bērziņa!\n\n"
        "Jūsu pašvaldības gada pārskats ir apstiprināts. Paldies par darbu!\n\n"
        "Pašvaldība: Cēsu novads\nPārskata gads: 2026\n\n"
        "Apstiprināto pārskatu vairs nevar labot, bet to var apskatīt šeit:\n"
        "https://monitors.example.lv/returns/cesu-novads/2026\n"
        "\nAr cieņu\nRemigrācijas atbalsta monitorings\n\n"
        "Šī vēstule ir nosūtīta automātiski; uz to nav jāatbild.\n"
    )
    assert rows["editor-en@test.lv"]["subject"] == "Your yearly return for 2026 has been approved"
    assert "Your municipality's yearly return has been approved. Thank you" in rows["editor-en@test.lv"]["body"]


def test_no_personal_data_but_the_recipients_name(app, people):
    rid = make_return(app, "cesu-novads", 2026, actor_id=people["editor"].id, status="submitted")
    for row in _notify(app, rid, "notify_submitted"):
        assert "editor@test.lv" not in row["body"] and "Ilze" not in row["body"]


def test_day_counts_and_dates_per_language():
    from monitor.mail import texts

    assert texts.format_day(DEADLINE, "lv") == "31.03.2027"
    assert texts.format_day(dt.date(2027, 4, 5), "lv") == "05.04.2027"
    assert texts.format_day(DEADLINE, "en") == "31 March 2027"
    assert [texts.relative_days(o, "lv") for o in (-7, -1, 0, 1, 7, -21, -11)] == [
        "pēc 7 dienām", "rīt", "šodien", "vakar", "pirms 7 dienām", "pēc 21 dienas", "pēc 11 dienām"]
    assert [texts.relative_days(o, "en") for o in (-7, -1, 0, 1, 7)] == [
        "in 7 days", "tomorrow", "today", "yesterday", "7 days ago"]
    assert texts.render("approved", "de", name="X", municipality="M", year=1, url="u")[0].startswith("Gada")


# ---------------------------------------------------------------------------------------------- reminders


def _reminder_setup(app, people) -> None:
    """Cēsis: no return; Valmiera: a draft; Liepāja: submitted; Ventspils: returned; Sigulda: approved."""
    make_return(app, "valmieras-novads", 2026, actor_id=people["valmiera"].id)
    make_return(app, "liepaja", 2026, actor_id=people["editor_other"].id, status="submitted")
    make_return(app, "ventspils", 2026, actor_id=people["ventspils"].id, status="returned")
    make_return(app, "siguldas-novads", 2026, actor_id=people["sigulda"].id, status="approved")


REMINDED = {"editor@test.lv", "editor2@test.lv", "editor-en@test.lv", "valmiera@test.lv"}


def test_reminders_go_to_non_submitters_on_the_configured_days_only(app, people):
    _reminder_setup(app, people)
    quiet_days = [DEADLINE - dt.timedelta(days=d) for d in (8, 6, 2)] + [DEADLINE] + [
        DEADLINE + dt.timedelta(days=d) for d in (2, 6, 8)]
    for day in quiet_days:
        assert _remind(app, day) == [], day

    before = _by_email(_remind(app, DEADLINE - dt.timedelta(days=7)))
    assert set(before) == REMINDED
    lv, en = before["editor@test.lv"], before["editor-en@test.lv"]
    assert lv["subject"] == "Atgādinājums: gada pārskata par 2026. gadu iesniegšanas termiņš ir 31.03.2027"
    assert en["subject"] == "Reminder: the yearly return for 2026 is due on 31 March 2027"
    assert "Iesniegšanas termiņš: 31.03.2027 (pēc 7 dienām)\n" in lv["body"]
    assert "Deadline: 31 March 2027 (in 7 days)\n" in en["body"]
    assert "http://127.0.0.1:5000/returns/cesu-novads/2026" in lv["body"]
    assert lv["kind"] == "reminder_before"
    assert lv["dedupe_key"] == f"reminder:2026:cesu-novads:2027-03-31:-7:{people['editor'].id}"
    assert before["valmiera@test.lv"]["body"].count("Pašvaldība: Valmieras novads") == 1

    day_before = _by_email(_remind(app, DEADLINE - dt.timedelta(days=1)))
    assert set(day_before) == REMINDED
    assert "(rīt)" in day_before["editor@test.lv"]["body"] and "(tomorrow)" in day_before["editor-en@test.lv"]["body"]

    after = _by_email(_remind(app, DEADLINE + dt.timedelta(days=1)))
    assert set(after) == REMINDED
    assert after["editor@test.lv"]["subject"] == "Gada pārskats par 2026. gadu vēl nav iesniegts (termiņš bija 31.03.2027)"
    assert after["editor-en@test.lv"]["subject"] == (
        "The yearly return for 2026 has not been submitted yet (deadline: 31 March 2027)")
    assert "(vakar)" in after["editor@test.lv"]["body"] and "sazinieties ar savu plānošanas reģionu" in (
        after["editor@test.lv"]["body"])
    week_after = _by_email(_remind(app, DEADLINE + dt.timedelta(days=7)))
    assert "(pirms 7 dienām)" in week_after["editor@test.lv"]["body"]
    assert "(7 days ago)" in week_after["editor-en@test.lv"]["body"]
    assert len(_messages(app)) == 4 * len(REMINDED)


def test_reminders_are_idempotent(app, people):
    _reminder_setup(app, people)
    day = DEADLINE - dt.timedelta(days=7)
    assert len(_remind(app, day)) == len(REMINDED)
    assert _remind(app, day) == []
    assert len(_messages(app)) == len(REMINDED)


def test_a_deadline_extension_moves_the_reminders(app, people):
    from monitor.extensions import db
    from monitor.periods.deadlines import effective_deadline
    from monitor.periods.models import DeadlineExtension, ReportingPeriod
    from monitor.registry.models import Municipality

    _reminder_setup(app, people)
    extended = dt.date(2027, 4, 14)
    with app.app_context():
        period = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.year == 2026))
        cesis = db.session.scalar(select(Municipality).where(Municipality.slug == "cesu-novads"))
        valmiera = db.session.scalar(select(Municipality).where(Municipality.slug == "valmieras-novads"))
        db.session.add(DeadlineExtension(period_id=period.id, municipality_id=cesis.id, deadline=extended,
                                         reason="Plūdi", granted_by_id=people["admin"].id))
        db.session.commit()
        assert effective_deadline(period, cesis.id) == extended
        assert effective_deadline(period, valmiera.id) == DEADLINE

    assert set(_by_email(_remind(app, DEADLINE - dt.timedelta(days=7)))) == {"valmiera@test.lv"}
    rows = _by_email(_remind(app, extended - dt.timedelta(days=7)))  # = 7 days after the period's deadline
    assert set(rows) == REMINDED
    assert rows["valmiera@test.lv"]["kind"] == "reminder_after"
    assert rows["editor@test.lv"]["kind"] == "reminder_before"
    assert "Pagarinātais iesniegšanas termiņš: 14.04.2027 (pēc 7 dienām)" in rows["editor@test.lv"]["body"]
    assert "Extended deadline: 14 April 2027 (in 7 days)" in rows["editor-en@test.lv"]["body"]


def test_reminder_days_come_from_config(app, people, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_REMINDER_DAYS_BEFORE", "3, 0")  # as it arrives from the environment
    monkeypatch.setitem(app.config, "MAIL_REMINDER_DAYS_AFTER", ())
    _reminder_setup(app, people)
    assert _remind(app, DEADLINE - dt.timedelta(days=7)) == []
    assert _remind(app, DEADLINE + dt.timedelta(days=1)) == []
    assert set(_by_email(_remind(app, DEADLINE - dt.timedelta(days=3)))) == REMINDED
    today = _by_email(_remind(app, DEADLINE))
    assert today["editor@test.lv"]["kind"] == "reminder_today"
    assert today["editor-en@test.lv"]["subject"] == "Reminder: the yearly return for 2026 is due today, 31 March 2027"


def test_cli_remind_and_send_without_a_server(app, people):
    _reminder_setup(app, people)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["mail", "remind", "--date", "2027-03-24"])
    assert result.exit_code == 0, result.output
    assert "period 2026: 4 reminders queued" in result.output and "2025" not in result.output.split("\n")[0]
    assert runner.invoke(args=["mail", "remind", "--date", "2027-03-24"]).output.endswith(": 0\n")
    assert runner.invoke(args=["mail", "remind", "--date", "2027-05-01"]).output == (
        "reminders queued on 2027-05-01: 0\n")
    result = runner.invoke(args=["mail", "send"])
    first, *explanation = result.output.strip().split("\n")
    assert first == "sent: 0, to retry: 0, failed: 0, held: 4"
    # plain words: why nothing was sent and where the held e-mails are read (the outbox page, as a full address)
    assert explanation[0] == "4 e-mails held, not sent: no mail server is set (MONITOR_MAIL_SERVER)."
    assert explanation[2].startswith("  http://127.0.0.1:5000/admin/outbox  (") and "administrators only" in explanation[2]
    assert {m["status"] for m in _messages(app)} == {"held"}
    assert runner.invoke(args=["mail", "send"]).output.strip() == "sent: 0, to retry: 0, failed: 0, held: 0"


def test_held_explanation_in_the_demo_and_for_one_message():
    from monitor.mail.cli import held_explanation
    from monitor.mail.operations import SendReport

    assert held_explanation(SendReport(sent=3), "http://x/admin/outbox") == []  # nothing held: nothing to explain
    lines = held_explanation(SendReport(held=1), "http://127.0.0.1:5107/admin/outbox", is_demo=True)
    assert lines[0] == "1 e-mail held, not sent: no mail server is set (MONITOR_MAIL_SERVER) in the demo."
    assert lines[2].startswith("  http://127.0.0.1:5107/admin/outbox  (") and "admin@demo.lv" in lines[2]
    assert "never sent later" in lines[3]


# ------------------------------------------------------------------------------------------------ sending


class Recorder:
    """An aiosmtpd handler that keeps what it receives and refuses one address."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: ANN001
        if address.startswith("bounce@"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class SmtpServer:
    def __init__(self, port: int) -> None:
        self.port = port
        self.handler = Recorder()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def parsed(self) -> list[tuple[str, list[str], email.message.EmailMessage]]:
        return [(frm, to, email.message_from_bytes(raw, policy=email.policy.default))  # type: ignore[misc]
                for frm, to, raw in self.handler.received]


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer(free_port())  # not started: tests start it (or leave it down)
    yield server
    server.stop()


@pytest.fixture
def mail_app(app, instance_dir, smtp):
    """A second app on the same database, configured to send to the loopback server."""
    from monitor import create_app

    return create_app(test_config(instance_dir, MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, MAIL_TIMEOUT=5))


def _send(mail_app, now: dt.datetime | None = None):
    from monitor.mail.operations import send_pending

    with mail_app.app_context():
        return send_pending(now=now)


def _approved(app, people) -> list[dict[str, Any]]:
    rid = make_return(app, "cesu-novads", 2026, actor_id=people["editor"].id, status="approved")
    return _notify(app, rid, "notify_approved")


def test_sends_through_a_real_smtp_server(app, people, smtp, mail_app):
    smtp.start()
    queued = _by_email(_approved(app, people))
    report = _send(mail_app)
    assert (report.sent, report.retrying, report.failed, report.held) == (3, 0, 0, 0)
    received = {to[0]: (frm, msg) for frm, to, msg in smtp.parsed()}
    assert set(received) == {"editor@test.lv", "editor2@test.lv", "editor-en@test.lv"}
    frm, msg = received["editor@test.lv"]
    assert frm == "noreply@monitor.example"
    assert str(msg["From"]) == "Remigrācijas monitorings <noreply@monitor.example>"
    assert str(msg["To"]) == "Ilze Bērziņa <editor@test.lv>"
    assert str(msg["Subject"]) == "Gada pārskats par 2026. gadu apstiprināts"
    assert msg.get_content_type() == "text/plain" and msg.get_content_charset() == "utf-8"
    body = msg.get_content().replace("\r\n", "\n")  # SMTP lines end in CRLF
    assert body == queued["editor@test.lv"]["body"]
    assert "Pašvaldība: Cēsu novads" in body and msg["Message-ID"] and msg["Date"]
    assert msg["Auto-Submitted"] == "auto-generated"
    assert str(received["editor-en@test.lv"][1]["Subject"]) == "Your yearly return for 2026 has been approved"
    for row in _messages(app):
        assert (row["status"], row["attempts"]) == ("sent", 1) and row["sent_at"] is not None
    assert _send(mail_app).sent == 0  # nothing is sent twice


def test_server_down_then_up(app, people, smtp, mail_app):
    from monitor.models_base import utcnow

    _approved(app, people)
    now = utcnow()
    report = _send(mail_app, now)
    assert (report.sent, report.retrying) == (0, 1)
    first, *rest = _messages(app)
    assert (first["status"], first["attempts"]) == ("pending", 1)
    assert first["last_error"].startswith("server unreachable: ") and first["next_attempt_at"] > now
    assert first["next_attempt_at"] == now + dt.timedelta(minutes=1)
    assert all(r["attempts"] == 0 and r["last_error"] is None for r in rest)  # the batch stopped at the server

    smtp.start()
    assert _send(mail_app, now + dt.timedelta(seconds=30)).sent == 2  # the failed one waits for its back-off
    assert _send(mail_app, now + dt.timedelta(minutes=2)).sent == 1
    assert [(r["status"], r["attempts"]) for r in _messages(app)] == [("sent", 2), ("sent", 1), ("sent", 1)]
    assert len(smtp.handler.received) == 3


def test_gives_up_after_max_attempts_with_growing_backoff(app, people, mail_app):
    from monitor.models_base import utcnow

    _update_user(app, people["editor2"].id, is_active_account=False)
    _update_user(app, people["editor_en"].id, is_active_account=False)
    assert len(_approved(app, people)) == 1
    now = utcnow()
    waits = []
    for attempt in range(1, 7):
        report = _send(mail_app, now)
        [row] = _messages(app)
        assert row["attempts"] == attempt
        waits.append(row["next_attempt_at"] - now)
        now = row["next_attempt_at"]
        assert (report.retrying, report.failed) == ((1, 0) if attempt < 6 else (0, 1))
    assert row["status"] == "failed"
    assert waits[:5] == [dt.timedelta(minutes=1), dt.timedelta(minutes=5), dt.timedelta(minutes=30),
                         dt.timedelta(hours=2), dt.timedelta(hours=12)]
    assert _send(mail_app, now + dt.timedelta(days=1)).failed == 0  # failed is final


def test_one_refused_address_does_not_stop_the_others(app, people, smtp, mail_app):
    smtp.start()
    _update_user(app, people["editor2"].id, email="bounce@test.lv")
    _approved(app, people)
    report = _send(mail_app)
    assert (report.sent, report.retrying) == (2, 1)
    rows = _by_email(_messages(app))
    assert rows["bounce@test.lv"]["status"] == "pending" and "550" in rows["bounce@test.lv"]["last_error"]
    assert rows["editor@test.lv"]["status"] == rows["editor-en@test.lv"]["status"] == "sent"


def test_try_send_now_sends_or_leaves_pending_and_never_raises(app, people, smtp, mail_app, monkeypatch):
    from monitor.mail import operations

    ids = [r["id"] for r in _approved(app, people)]
    with mail_app.app_context():
        report = operations.try_send_now(ids[:1])  # server down: one attempt, no exception
    assert report is not None and report.retrying == 1
    assert _messages(app)[0]["status"] == "pending"

    smtp.start()
    with mail_app.app_context():
        assert operations.try_send_now(ids[1:]).sent == 2
        monkeypatch.setattr(operations, "_deliver", lambda *a, **k: 1 / 0)
        assert operations.try_send_now(ids) is None
    assert [r["status"] for r in _messages(app)] == ["pending", "sent", "sent"]


def test_a_view_sends_what_the_change_queued_right_after_its_commit(app, people, smtp, mail_app):
    from monitor.extensions import db
    from monitor.mail.dispatch import send_queued_for
    from monitor.returns.models import AnnualReturn
    from monitor.returns.notifications import notify_approved

    smtp.start()
    rid = make_return(app, "cesu-novads", 2026, actor_id=people["editor"].id, status="approved")
    with mail_app.app_context():  # what a view does: operation, commit, one quick attempt
        notify_approved(db.session.get(AnnualReturn, rid))
        db.session.commit()
        send_queued_for(rid)
    assert len(smtp.handler.received) == 3
    assert {r["status"] for r in _messages(app)} == {"sent"}


def test_without_a_server_messages_are_held(app, people):
    from monitor.mail.operations import send_pending, try_send_now

    ids = [r["id"] for r in _approved(app, people)]
    with app.app_context():
        assert app.config["MAIL_SERVER"] is None
        assert try_send_now(ids[:1]).held == 1
        assert send_pending().held == 2
    assert {(r["status"], r["attempts"]) for r in _messages(app)} == {("held", 0)}


# ------------------------------------------------------------------------------------------ outbox page


def test_outbox_page_is_for_admins_only(app, people, login_as):
    rows = _approved(app, people)
    for role in ("editor", "reviewer", "researcher"):
        client = login_as(role)
        assert client.get("/admin/outbox").status_code == 404
        assert client.get(f"/admin/outbox/{rows[0]['id']}").status_code == 404
    assert app.test_client().get("/admin/outbox").status_code == 302  # to the login page

    admin = login_as("admin")
    page = admin.get("/admin/outbox").get_data(as_text=True)
    assert "Gada pārskats par 2026. gadu apstiprināts" in page and "Your yearly return for 2026" in page
    assert "editor-en@test.lv" in page
    assert "Gaida nosūtīšanu" in page or "Waiting to be sent" in page  # with or without compiled catalogs
    assert admin.get("/admin/outbox?status=sent").get_data(as_text=True).count("editor-en@test.lv") == 0
    detail = admin.get(f"/admin/outbox/{rows[0]['id']}").get_data(as_text=True)
    assert "Jūsu pašvaldības gada pārskats ir apstiprināts. Paldies par darbu!" in detail
    assert "Pašvaldība: Cēsu novads<br>Pārskata gads: 2026" in detail
    assert admin.get("/admin/outbox/999999").status_code == 404


def test_outbox_counts_in_database(app, people):
    """The messages queued by a notification are part of the caller's transaction: a rollback removes them."""
    from monitor.extensions import db
    from monitor.mail.models import OutboxMessage
    from monitor.returns.models import AnnualReturn
    from monitor.returns.notifications import notify_approved

    rid = make_return(app, "cesu-novads", 2026, actor_id=people["editor"].id, status="approved")
    with app.app_context():
        assert len(notify_approved(db.session.get(AnnualReturn, rid))) == 3
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
