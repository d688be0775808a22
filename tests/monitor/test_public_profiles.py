"""Public municipality profiles (issue 12): only approved answers are published, reopening keeps the last
approved copy, contacts appear only with their own "publish" answer, pages in both languages, caching."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from sqlalchemy import event, select

from forms import get_definition
from tests.factories import answers_2027, complete_answers, make_return

ROOT = Path(__file__).resolve().parents[2]
PROFILE = "/municipalities/cesu-novads"
SECRET_CONTACT = ("Pēteris Slepenais", "peteris.s@cesis.lv", "+371 29 333 444", "29 333 444")


# ------------------------------------------------------------------------------------------------ helpers

def _act(app, return_id, user_id, *actions, answers=None):
    """Run workflow operations on a return as a user: "submit", "approve", "reopen", "edit" (``answers``)."""
    from monitor.auth.models import User
    from monitor.extensions import db
    from monitor.returns.edit import plan_edit
    from monitor.returns.models import AnnualReturn
    from monitor.returns.operations import submit_return
    from monitor.returns.storage import apply_edit, load_answers
    from monitor.review import operations as ops

    with app.app_context():
        ret = db.session.get(AnnualReturn, return_id)
        user = db.session.get(User, user_id)
        for action in actions:
            if action == "submit":
                outcome = submit_return(ret, base_version=ret.version, actor=user, today=dt.date(2027, 1, 15))
                assert outcome.submitted, [i.en for i in outcome.result.errors]
            elif action == "approve":
                ops.approve_return(ret, user, base_version=ret.version)
            elif action == "reopen":
                ops.reopen_return(ret, user, reason="Jālabo granti.", base_version=ret.version)
            elif action == "edit":
                definition = get_definition(ret.year)
                current = load_answers(ret, definition)
                plan = plan_edit(definition, current, answers)
                assert plan.can_apply
                apply_edit(ret, definition, plan, actor_id=user.id, source="web", current=current)
            db.session.commit()


def _started(app, users, slug, year, answers):
    """``make_return``, also for 2027 (whose period opens on 1 November 2027: opened early just for this)."""
    from monitor.extensions import db
    from monitor.periods.models import ReportingPeriod

    with app.app_context():
        period = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.year == year))
        opens_on, period.opens_on = period.opens_on, dt.date(2026, 1, 1)
        db.session.commit()
    try:
        return make_return(app, slug, year, answers, actor_id=users["admin"].id)
    finally:
        with app.app_context():
            db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.year == year)).opens_on = opens_on
            db.session.commit()


def _approved(app, users, slug="cesu-novads", year=2026, answers=None):
    rid = _started(app, users, slug, year, answers or complete_answers(year))
    _act(app, rid, users["admin"].id, "submit", "approve")
    return rid


def _with_grant(year, name):
    answers = complete_answers(year)
    answers["grant_programmes"] = [{**answers["grant_programmes"][0], "name": name}]
    return answers


def _page(client, url=PROFILE, locale=None):
    if locale:
        client.post("/public/language", data={"locale": locale})
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _public_urls(app):
    from monitor.extensions import db
    from monitor.registry.models import Municipality

    with app.app_context():
        slugs = list(db.session.scalars(select(Municipality.slug)))
    return ["/", "/municipalities/", "/returning", *[f"/municipalities/{s}" for s in slugs]]


@pytest.fixture
def today(monkeypatch):
    """The Riga date the public pages judge "may be out of date" by (default: December 2026, year 2026 open)."""
    import monitor.public.views as views

    def set_day(day: dt.date) -> None:
        monkeypatch.setattr(views, "riga_today", lambda: day)

    set_day(dt.date(2026, 12, 2))
    return set_day


# ------------------------------------------------------------------------------ what is published, and when

def test_an_approved_return_is_published_with_its_measures(app, users, client, today):
    from monitor.extensions import db
    from monitor.public.models import PublishedMeasure, PublishedProfile

    _approved(app, users)
    with app.app_context():
        profile = db.session.scalar(select(PublishedProfile))
        assert (profile.year, profile.definition_version, profile.is_latest) == (2026, "2026.1", True)
        measures = db.session.scalars(select(PublishedMeasure).order_by(PublishedMeasure.position)).all()
        grant = measures[0]
        assert (grant.kind, grant.who, grant.amount_max_eur, grant.is_latest) == (
            "business_grants", "open_to_all", Decimal("5000.00"), True)
        assert grant.title_lv == "Cēsu novada uzņēmējdarbības atbalsta konkurss" and grant.title_en is None
        assert "cesu novada uznemejdarbibas atbalsta konkurss" in grant.search_text
        assert "vidzemes planosanas regions" in grant.search_text and "business grants" in grant.search_text
        assert not re.search(r"[āčēģīķļņšūž]", grant.search_text)
        assert profile.content["measures"][0]["title"] == {"lv": grant.title_lv, "en": None}
    page = _page(client)
    assert "Cēsu novada uzņēmējdarbības atbalsta konkurss" in page
    assert "līdz 5\xa0000 EUR" in page or "līdz 5 000 EUR" in page


def test_drafts_and_submitted_returns_publish_nothing(app, users, client, today):
    from monitor.extensions import db
    from monitor.public.models import PublishedMeasure, PublishedProfile

    draft = make_return(app, "cesu-novads", 2026, _with_grant(2026, "Melnraksta grants"), actor_id=users["admin"].id)
    submitted = make_return(app, "liepaja", 2026, _with_grant(2026, "Iesniegtais grants"), actor_id=users["admin"].id)
    _act(app, submitted, users["admin"].id, "submit")
    with app.app_context():
        assert db.session.scalars(select(PublishedProfile)).all() == []
        assert db.session.scalars(select(PublishedMeasure)).all() == []
    for url in _public_urls(app):
        page = _page(client, url)
        assert "Melnraksta grants" not in page and "Iesniegtais grants" not in page
    assert "Apstiprinātas informācijas vēl nav" in _page(client)
    assert draft


def test_reopened_return_keeps_the_approved_copy_until_re_approval(app, users, client, today):
    rid = _approved(app, users, answers=_with_grant(2026, "Pirmais grants"))
    etag = client.get(PROFILE).headers["ETag"]
    admin = users["admin"].id
    _act(app, rid, admin, "reopen", "edit", answers={"grant_programmes": [
        {**complete_answers(2026)["grant_programmes"][0], "name": "Labotais grants"}]})
    page = _page(client)
    assert "Pirmais grants" in page and "Labotais grants" not in page  # the edit is not approved yet
    _act(app, rid, admin, "submit")
    assert "Labotais grants" not in _page(client)
    _act(app, rid, admin, "approve")
    page = _page(client)
    assert "Labotais grants" in page and "Pirmais grants" not in page
    assert client.get(PROFILE).headers["ETag"] != etag


def test_the_newest_approved_year_is_the_one_in_force(app, users, client, today):
    from monitor.extensions import db
    from monitor.public.models import PublishedMeasure, PublishedProfile

    _approved(app, users, year=2025, answers=_with_grant(2025, "Vecais grants"))
    _approved(app, users, year=2026, answers=_with_grant(2026, "Jaunais grants"))
    page = _page(client)
    assert "Jaunais grants" in page and "Vecais grants" not in page
    with app.app_context():
        latest = {(p.year, p.is_latest) for p in db.session.scalars(select(PublishedProfile))}
        assert latest == {(2025, False), (2026, True)}
        assert {(m.year, m.is_latest) for m in db.session.scalars(select(PublishedMeasure))} >= {
            (2025, False), (2026, True)}


def test_rebuild_command_publishes_approved_returns_and_keeps_reopened_copies(app, users, client, today):
    from monitor.extensions import db
    from monitor.public.models import PublishedProfile
    from monitor.returns.models import AnnualReturn
    from monitor.models_base import utcnow

    # approved before the portal existed: no copy yet
    rid = make_return(app, "liepaja", 2026, _with_grant(2026, "Liepājas grants"), actor_id=users["admin"].id)
    with app.app_context():
        ret = db.session.get(AnnualReturn, rid)
        ret.status, ret.approved_at = "approved", utcnow()
        db.session.commit()
    reopened = _approved(app, users, answers=_with_grant(2026, "Cēsu grants"))
    _act(app, reopened, users["admin"].id, "reopen")
    result = app.test_cli_runner().invoke(args=["public", "rebuild"])
    assert result.exit_code == 0 and "published copies rebuilt: 1" in result.output
    assert "Liepājas grants" in _page(client, "/municipalities/liepaja")
    assert "Cēsu grants" in _page(client)
    with app.app_context():
        assert len(db.session.scalars(select(PublishedProfile)).all()) == 2


def test_public_pages_never_read_returns_or_answers(app, users, client, today):
    from monitor.extensions import db

    _approved(app, users, year=2027, answers=answers_2027())
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def record(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        for url in _public_urls(app):
            _page(client, url)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    read = " ".join(statements).lower()
    assert "published_profile" in read
    for table in ("annual_return", "group_answer", "group_row", "review_comment", "change_log", " answer"):
        assert table not in read, table


# ------------------------------------------------------------------------------------------------ contacts

def test_a_contact_without_the_publish_answer_never_appears(app, users, client, today):
    _approved(app, users, year=2027, answers=answers_2027())
    # an older version's "may be published" answer is not the 2027 consent: no contacts from 2026.1
    older = complete_answers(2026)
    older["contact_persons"] = [{"name": "Anna Vecāka", "position": "Speciāliste", "email": "anna.v@liepaja.lv",
                                 "phone": "+371 26 555 666", "is_public": "yes"}]
    _approved(app, users, slug="liepaja", year=2026, answers=older)
    for locale in ("lv", "en"):
        client.post("/public/language", data={"locale": locale})
        for url in _public_urls(app):
            page = _page(client, url)
            for secret in (*SECRET_CONTACT, "Anna Vecāka", "anna.v@liepaja.lv", "26 555 666"):
                assert secret not in page, (url, secret)
    page = _page(client)
    assert "Ilze Bērziņa" in page and "ilze.berzina@cesis.lv" in page and "+371 26 111 222" in page
    assert "Remigrācijas koordinatore" in page


def test_a_contact_with_the_publish_answer_appears(app, users, client, today):
    answers = answers_2027()
    answers["contact_persons"][1]["publish_on_profile"] = "yes"
    _approved(app, users, year=2027, answers=answers)
    page = _page(client, locale="en")
    assert all(s in page for s in SECRET_CONTACT[:3])
    assert "E-mail" in page and "English" in page


def test_contacts_of_a_draft_of_the_next_year_stay_private(app, users, client, today):
    _approved(app, users, year=2026)
    answers = answers_2027()
    answers["contact_persons"][1]["publish_on_profile"] = "yes"
    _started(app, users, "cesu-novads", 2027, answers)
    page = _page(client)
    assert SECRET_CONTACT[0] not in page and "Ilze Bērziņa" not in page


# ------------------------------------------------------------------------------------ what a profile shows

def test_who_can_use_it_is_shown_for_every_kind(app, users, client, today):
    from monitor.public.extract import KINDS

    _approved(app, users, year=2027, answers={**answers_2027(), "kindergarten_priority": "yes"})
    for locale, only, everyone in (("lv", "Tikai atgriezušajiem", "Visiem iedzīvotājiem"),
                                   ("en", "Only returnees", "All residents")):
        page = _page(client, locale=locale)
        for kind in KINDS:
            section = page.split(f'id="kind-{kind}"', 1)[1].split("</section>", 1)[0]
            assert 'class="who who-' in section, kind
            assert "not_stated" not in section, kind  # every 2027 measure says who can use it
        assert only in page and everyone in page


def test_versions_without_the_who_answer_say_not_stated(app, users, client, today):
    answers = complete_answers(2026)
    answers.update(job_creation_support="yes", support_offered_to_remigrants="Konsultācijas.")
    _approved(app, users, year=2026, answers=answers)
    page = _page(client, locale="en")
    jobs = page.split('id="kind-jobs_specialists"', 1)[1].split("</section>", 1)[0]
    assert "who-not_stated" in jobs and "Not stated" in jobs
    grants = page.split('id="kind-business_grants"', 1)[1].split("</section>", 1)[0]
    assert "All residents" in grants  # grant programmes always asked it


@pytest.mark.parametrize("day, stale", [(dt.date(2026, 12, 2), False), (dt.date(2027, 12, 1), True)])
def test_may_be_out_of_date_mark(app, users, client, today, day, stale):
    _approved(app, users, year=2025, answers=complete_answers(2025))
    today(day)  # in December 2027 the open year is 2027: 2025 is older than the previous year (2026)
    page = _page(client)
    assert ("Var būt novecojusi" in page) is stale
    assert ("var būt novecojusi" in _page(client, "/municipalities/")) is stale
    assert "(2025. gada pārskats)" in page


def test_a_municipality_without_an_approved_return_says_so_and_points_to_the_portals(app, client, today):
    page = _page(client, "/municipalities/liepaja")
    assert "Apstiprinātas informācijas vēl nav" in page
    assert "https://www.paps.lv/" in page and "https://www.latvija.lv/" in page


def test_index_lists_all_43_by_planning_region(app, users, client, today):
    _approved(app, users)
    page = _page(client, "/municipalities/")
    assert len(re.findall(r'href="/municipalities/[a-z-]+"', page)) == 43
    assert page.count("<h2 ") == 5
    assert "informācija par 2026. gadu" in page


def test_unknown_slug_is_404(client):
    assert client.get("/municipalities/atlantida").status_code == 404


def test_returning_page_links_the_national_portals(client):
    page = _page(client, "/returning")
    for url in ("https://www.latvija.lv/", "https://www.paps.lv/", "https://www.vsaa.gov.lv/"):
        assert f'href="{url}"' in page


def test_home_page_points_visitors_to_the_profiles(app, client, login_as):
    page = _page(client, "/")
    assert 'href="/municipalities/"' in page and 'href="/returning"' in page and 'href="/login"' in page
    assert login_as("editor").get("/").status_code == 302  # signed-in users still go to their returns


# -------------------------------------------------------------------------------------------- HTTP caching

def test_cache_headers_etag_and_304(app, users, client, today):
    _approved(app, users)
    first = client.get(PROFILE)
    assert first.headers["Cache-Control"] == "public, max-age=300"
    assert "Cookie" in first.headers["Vary"]
    assert "Set-Cookie" not in first.headers  # a cached public page never carries a session
    etag = first.headers["ETag"]
    assert etag.startswith('W/"')
    again = client.get(PROFILE, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b"" and again.headers["ETag"] == etag
    client.post("/public/language", data={"locale": "en"})
    english = client.get(PROFILE, headers={"If-None-Match": etag})
    assert english.status_code == 200 and english.headers["ETag"] != etag
    for url in ("/municipalities/", "/returning", "/"):
        assert client.get(url).headers["Cache-Control"] == "public, max-age=300"


def test_signed_in_users_get_private_pages(app, users, login_as, today):
    response = login_as("editor").get(PROFILE)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"


def test_public_language_switch_needs_no_token_and_stays_on_the_site(app, instance_dir):
    from monitor import create_app
    from tests.conftest import test_config

    client = create_app(test_config(instance_dir, WTF_CSRF_ENABLED=True)).test_client()
    response = client.post("/public/language", data={"locale": "en", "next": "https://evil.example/"})
    assert response.status_code == 302 and response.location == "/municipalities/"
    assert "Municipality profiles" in client.get("/municipalities/").get_data(as_text=True)
    assert client.post("/language", data={"locale": "lv"}).status_code == 400  # the signed-in switch keeps CSRF


# ----------------------------------------------------------------------------------------------- languages

def _public_msgids() -> set[str]:
    found = set()
    for directory in ("monitor/templates/public",):
        for _file, _line, message, _comments, _context in extract_from_dir(
                ROOT / directory, method_map=[("**.html", "jinja2")]):
            found.add(message if isinstance(message, str) else message[0])
    base = (ROOT / "monitor/templates/base.html").read_text()
    found |= {m for m in ("Municipality profiles", "Returning to Latvia") if m in base}
    return found


def test_every_public_string_has_a_latvian_translation():
    with (ROOT / "monitor/translations/lv/LC_MESSAGES/messages.po").open("rb") as fp:
        catalog = read_po(fp, locale="lv")
    msgids = _public_msgids()
    assert len(msgids) > 30
    missing = [m for m in msgids if not (catalog.get(m) and catalog.get(m).string)]
    assert not missing, missing


def test_latvian_pages_have_no_english_strings_and_english_pages_are_english(app, users, client, today):
    import html

    _approved(app, users, year=2027, answers=answers_2027())
    english = [m.split("%(")[0].strip() for m in _public_msgids()]
    english = [m for m in english if len(m) > 12]
    for url in ("/", "/municipalities/", PROFILE, "/municipalities/liepaja", "/returning"):
        page = html.unescape(_page(client, url, locale="lv"))
        assert '<html lang="lv">' in page
        leaked = [m for m in english if m in page]
        assert not leaked, (url, leaked)
    page = html.unescape(_page(client, PROFILE, locale="en"))
    assert '<html lang="en">' in page and "Who can use it" in page and "Only returnees" in page
    assert 'lang="lv">Cēsu novada uzņēmējdarbības atbalsta konkurss' in page  # typed in Latvian, marked so


# ------------------------------------------------------------------------------------- the pure extraction

def test_public_view_is_pure_and_round_trips_through_json():
    from forms import validate
    from monitor.public.extract import PublicView, public_view

    definition = get_definition(2027)
    answers = validate(definition, {**answers_2027(), "respondent_name": "Rūta Respondente",
                                    "respondent_email": "ruta.r@cesis.lv"}).values
    view = public_view(definition, answers)
    assert PublicView.from_json(view.to_json()) == view
    assert [c.name for c in view.contacts] == ["Ilze Bērziņa"]
    assert {m.kind for m in view.measures} == {"business_grants", "jobs_specialists", "housing", "education_family",
                                               "diaspora_contact", "other"}
    housing = view.measures_of("housing")[0]
    assert housing.who == "remigrants_only" and [x.url for x in housing.links] == ["https://www.cesis.lv/dzivokli"]
    assert view.to_json()["measures"][0]["amount_max_eur"] == "7000.00"
    assert "Rūta Respondente" not in str(view.to_json()) and "ruta.r@cesis.lv" not in str(view.to_json())
    assert "Pēteris Slepenais" not in str(view.to_json())


def test_normalise_removes_latvian_diacritics():
    from monitor.public.text import normalise

    assert normalise("  Ā Č Ē Ģ Ī Ķ Ļ Ņ Š Ū Ž  āčēģīķļņšūž\nGrants ") == "a c e g i k l n s u z acegiklnsuz grants"


def test_the_history_import_publishes_past_years_as_loaded_data(app, users, client, today):
    from monitor.auth.models import User
    from monitor.excel.operations import import_history
    from monitor.extensions import db
    from monitor.public.models import PublishedProfile
    from reports.excel import BulkRow, BulkUpload

    raw = {"has_business_grants": "yes", "grant_programmes": [
        {"name": "Vēsturiskais grants", "kind": "startup_grant", "eligibility": "remigrants_only"}]}
    with app.app_context():
        admin = db.session.get(User, users["admin"].id)
        outcome = import_history(2022, BulkUpload(rows=[BulkRow("cesu-novads", 2022, raw, {})]), admin)
        assert outcome.saved, [p.en for p in outcome.problems]
        db.session.commit()
        profile = db.session.scalar(select(PublishedProfile))
        assert (profile.year, profile.origin, profile.definition_version) == (2022, "import", "2022.h2")
    page = _page(client)
    assert "Vēsturiskais grants" in page and "Tikai atgriezušajiem" in page
    assert "2022. gada pašvaldību aptaujā" in page and "Var būt novecojusi" in page
