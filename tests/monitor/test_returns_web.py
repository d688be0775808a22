"""The yearly return through the web: start, save sections over several visits, errors, rows, submit, history."""

from __future__ import annotations

import re

from sqlalchemy import select

from forms import get_definition
from tests.conftest import login
from tests.factories import complete_answers, make_return

BASE = "/returns/cesu-novads/2026"


def _version(page: str) -> str:
    return re.search(r'name="base_version" value="(\d+)"', page).group(1)


def _answers(app, return_id):
    from monitor.extensions import db
    from monitor.returns.models import AnnualReturn
    from monitor.returns.storage import load_answers

    with app.app_context():
        ret = db.session.get(AnnualReturn, return_id)
        return load_answers(ret, get_definition(ret.year)), ret.version, ret.status


def _return_id(app, slug="cesu-novads", year=2026):
    from monitor.extensions import db
    from monitor.registry.models import Municipality
    from monitor.returns.models import AnnualReturn

    with app.app_context():
        return db.session.scalar(select(AnnualReturn.id).join(Municipality).where(
            Municipality.slug == slug, AnnualReturn.year == year))


def test_start_fill_save_and_come_back(app, users, login_as):
    client = login_as("editor")
    overview = client.get(BASE).get_data(as_text=True)
    assert "Start an empty return" in overview or "tukš" in overview.lower()
    response = client.post(f"{BASE}/start")
    assert response.status_code == 302 and response.location.endswith("/sections/respondent")
    page = client.get(response.location).get_data(as_text=True)
    response = client.post(f"{BASE}/sections/respondent", data={
        "base_version": _version(page), "f.respondent_name": "  Ilze   Bērziņa ",
        "f.respondent_role": "executive_director", "f.respondent_email": "ilze@cesis.lv", "action": "save_next"})
    assert response.status_code == 302 and response.location.endswith("/sections/attitudes")
    client.post("/logout")

    client = login_as("editor")
    page = client.get(f"{BASE}/sections/respondent").get_data(as_text=True)
    assert 'value="Ilze Bērziņa"' in page  # whitespace folded, value kept across visits
    values, version, status = _answers(app, _return_id(app))
    assert values["respondent_role"] == "executive_director" and status == "draft" and version == 2


def test_invalid_input_is_not_saved_and_is_kept_in_the_form(app, users, login_as):
    return_id = make_return(app, "cesu-novads", 2026, {"respondent_name": "Ilze"}, actor_id=users["editor"].id)
    client = login_as("editor")
    response = client.post(f"{BASE}/sections/measures", data={
        "base_version": "2", "f.measures_5y_count_business_grants": "četri", "f.measures_5y_count_housing": "2",
        "f.measures_5y_count_other": "-1", "action": "save"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    summary = page.split('id="error-summary"')[1].split("</div>")[0]
    assert 'href="#f-measures_5y_count_business_grants"' in summary
    assert 'href="#f-measures_5y_count_other"' in summary
    assert "veselu skaitli" in summary  # the message says what to do, in Latvian
    assert 'value="četri"' in page and 'value="2"' in page  # nothing typed is lost
    assert 'aria-invalid="true"' in page
    values, version, _ = _answers(app, return_id)
    assert values["measures_5y_count_housing"] is None and version == 2  # nothing saved half-way


def test_english_switch_shows_english_labels_and_messages(app, users, login_as):
    make_return(app, "cesu-novads", 2026, {}, actor_id=users["editor"].id)
    client = login_as("editor")
    client.post("/language", data={"locale": "en", "next": f"{BASE}/sections/respondent"})
    response = client.post(f"{BASE}/sections/respondent", data={
        "base_version": "1", "f.respondent_email": "not-an-address", "action": "save"})
    page = response.get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "enter an e-mail address like name.surname@office.lv" in page
    assert "Position in the municipality" in page
    # the choice is remembered for the account
    assert '<html lang="en">' in login_as("editor").get(BASE).get_data(as_text=True)


def test_repeating_group_rows_add_fill_remove(app, users, login_as):
    return_id = make_return(app, "cesu-novads", 2026, {}, actor_id=users["editor"].id)
    client = login_as("editor")
    page = client.post(f"{BASE}/sections/contacts", data={
        "base_version": "1", "g.contact_persons.rows": "0", "action": "add:contact_persons"}).get_data(as_text=True)
    assert 'name="g.contact_persons.0.name"' in page
    response = client.post(f"{BASE}/sections/contacts", data={
        "base_version": "1", "g.contact_persons.rows": "2",
        "g.contact_persons.0.name": "Anna Ozola", "g.contact_persons.0.position": "Speciāliste",
        "g.contact_persons.0.email": "anna@cesis.lv", "g.contact_persons.0.languages": ["lv", "en"],
        "g.contact_persons.0.is_public": "yes",
        "g.contact_persons.1.name": "Pēteris Liepa", "g.contact_persons.1.position": "Vadītājs",
        "g.contact_persons.1.is_public": "no", "action": "save"})
    # the second person has neither e-mail nor phone yet: a draft keeps it, the submission check asks for it
    assert response.status_code == 302
    check = client.get(f"{BASE}/submit").get_data(as_text=True)
    assert f'{BASE}/sections/contacts#g-contact_persons-1-email' in check
    page = client.get(f"{BASE}/sections/contacts").get_data(as_text=True)
    uids = re.findall(r'name="g.contact_persons.\d._uid" value="([0-9a-f]+)"', page)
    response = client.post(f"{BASE}/sections/contacts", data={
        "base_version": _version(page), "g.contact_persons.rows": "2",
        "g.contact_persons.0._uid": uids[0], "g.contact_persons.1._uid": uids[1],
        "g.contact_persons.0.name": "Anna Ozola", "g.contact_persons.0.position": "Speciāliste",
        "g.contact_persons.0.email": "anna@cesis.lv", "g.contact_persons.0.languages": ["lv", "en"],
        "g.contact_persons.0.is_public": "yes",
        "g.contact_persons.1.name": "Pēteris Liepa", "g.contact_persons.1.position": "Vadītājs",
        "g.contact_persons.1.phone": "+371 26 123 456", "g.contact_persons.1.is_public": "no", "action": "save"})
    assert response.status_code == 302
    values, version, _ = _answers(app, return_id)
    rows = values["contact_persons"]
    assert [r["name"] for r in rows] == ["Anna Ozola", "Pēteris Liepa"] and rows[0]["languages"] == ["lv", "en"]
    uid = rows[1]["_uid"]
    # remove the first person: the second keeps its identity
    page = client.get(f"{BASE}/sections/contacts").get_data(as_text=True)
    response = client.post(f"{BASE}/sections/contacts", data={
        "base_version": _version(page), "g.contact_persons.rows": "1",
        "g.contact_persons.0._uid": uid, "g.contact_persons.0.name": "Pēteris Liepa",
        "g.contact_persons.0.position": "Vadītājs", "g.contact_persons.0.phone": "+371 26 123 456",
        "g.contact_persons.0.is_public": "no", "action": "save"})
    assert response.status_code == 302
    values, _, _ = _answers(app, return_id)
    assert [(r["name"], r["_uid"]) for r in values["contact_persons"]] == [("Pēteris Liepa", uid)]


def test_dont_know_on_numbers_and_scales(app, users, login_as):
    return_id = make_return(app, "cesu-novads", 2026, {}, actor_id=users["editor"].id)
    response = login_as("editor").post(f"{BASE}/sections/attitudes", data={
        "base_version": "1", "f.state_support_sufficiency_score": "hard_to_say",
        "f.eu_state_grant_uptake_score": "7", "action": "save"})
    assert response.status_code == 302
    response = login_as("editor").post(f"{BASE}/sections/returnees", data={
        "base_version": "2", "f.tracks_returnee_information": "yes", "f.returnees_persons": ["", "hard_to_say"],
        "action": "save"})
    assert response.status_code == 302
    values, _, _ = _answers(app, return_id)
    assert values["state_support_sufficiency_score"] == "hard_to_say"
    assert values["eu_state_grant_uptake_score"] == 7
    assert values["returnees_persons"] == "hard_to_say"


def test_submit_blocked_by_errors_then_succeeds(app, users, login_as):
    answers = complete_answers()
    incomplete = {k: v for k, v in answers.items() if k != "inquiry_routing"}
    return_id = make_return(app, "cesu-novads", 2026, incomplete, actor_id=users["editor"].id)
    client = login_as("editor")
    page = client.get(f"{BASE}/submit").get_data(as_text=True)
    assert f'{BASE}/sections/contacts#f-inquiry_routing' in page
    assert "Iesniegt pārskatu" not in page and "Submit the return" not in page
    response = client.post(f"{BASE}/submit", data={"base_version": _version(page)})
    assert response.status_code == 422
    assert _answers(app, return_id)[2] == "draft"
    page = client.get(f"{BASE}/sections/contacts").get_data(as_text=True)
    client.post(f"{BASE}/sections/contacts", data=_section_post(answers, "contacts", _version(page)))
    page = client.get(f"{BASE}/submit").get_data(as_text=True)
    response = client.post(f"{BASE}/submit", data={"base_version": _version(page)})
    assert response.status_code == 302
    values, version, status = _answers(app, return_id)
    assert status == "submitted"
    # a submitted return is read-only for its editors
    page = client.get(f"{BASE}/sections/respondent").get_data(as_text=True)
    assert 'name="f.respondent_name"' not in page
    refused = client.post(f"{BASE}/sections/respondent", data={"base_version": str(version),
                                                               "f.respondent_name": "X", "action": "save"})
    # refused, with the reason, and what was typed stays in view (read-only)
    assert refused.status_code == 409
    assert "izvērtēšanu" in refused.get_data(as_text=True) and "X" in refused.get_data(as_text=True)
    assert _answers(app, return_id)[0]["respondent_name"] == answers["respondent_name"]
    # a second submit (double click, stale page) changes nothing
    again = client.post(f"{BASE}/submit", data={"base_version": str(version)})
    assert again.status_code == 302 and _answers(app, return_id)[1] == version


def _section_post(answers, section_key, version):
    """Form data for one section from typed-or-raw answers (as a browser would send it)."""
    definition = get_definition(2026)
    data = {"base_version": version, "action": "save"}
    for f in definition.section(section_key).fields:
        value = answers.get(f.key)
        if f.is_group:
            rows = value or []
            data[f"g.{f.key}.rows"] = str(len(rows))
            for i, row in enumerate(rows):
                for child in f.fields:
                    if row.get(child.key) is not None:
                        data[f"g.{f.key}.{i}.{child.key}"] = str(row[child.key])
        elif value is not None:
            data[f"f.{f.key}"] = value if isinstance(value, list) else str(value)
    return data


def test_warnings_do_not_block_and_their_explanations_are_kept(app, users, login_as):
    answers = complete_answers()
    make_return(app, "cesu-novads", 2025, {"ngo_grants_total_eur": "1000"}, actor_id=users["admin"].id)
    return_id = make_return(app, "cesu-novads", 2026, dict(answers, ngo_grants_total_eur="25000"),
                            actor_id=users["editor"].id)
    client = login_as("editor")
    page = client.get(f"{BASE}/submit").get_data(as_text=True)
    assert "25" in page and "reizes" in page  # a year-on-year warning, in Latvian
    name = re.search(r'name="(note::ngo_grants_total_eur::growth)"', page).group(1)
    response = client.post(f"{BASE}/submit", data={"base_version": _version(page),
                                                   name: "Jauna NVO atbalsta programma."})
    assert response.status_code == 302
    from monitor.extensions import db
    from monitor.returns.models import WarningNote

    with app.app_context():
        note = db.session.scalar(select(WarningNote).where(WarningNote.return_id == return_id))
        assert (note.path, note.code, note.comment) == ("ngo_grants_total_eur", "growth",
                                                         "Jauna NVO atbalsta programma.")


def test_start_from_last_year_copies_stable_answers_only(app, users, login_as):
    last_year = dict(complete_answers(2025), diaspora_activities=[{"activity_type": "reunion",
                                                                   "participants": 120}])
    make_return(app, "cesu-novads", 2025, last_year, actor_id=users["admin"].id, status="submitted")
    client = login_as("editor")
    assert "Start from last year" in client.get(BASE).get_data(as_text=True) or "iepriekšējā gada" in \
        client.get(BASE).get_data(as_text=True)
    assert client.post(f"{BASE}/start", data={"from_last_year": "1"}).status_code == 302
    values, version, status = _answers(app, _return_id(app))
    assert status == "draft" and version == 2
    assert values["remigration_promotion_topicality"] == last_year["remigration_promotion_topicality"]
    assert values["grant_programmes"][0]["name"] == last_year["grant_programmes"][0]["name"]
    # flows of the year are not copied
    assert values["grant_programmes"][0]["applications_received"] is None
    assert values["returnees_persons"] is None and values["diaspora_activities"] == []
    assert values["budget_lines"] == [] and values["contacts_confirmed_on"] is None
    history = client.get(f"{BASE}/history").get_data(as_text=True)
    assert "copied from last year" in history or "nokopēts" in history.lower() or "iepriekšējā" in history


def test_history_shows_who_when_old_and_new(app, users, login_as):
    make_return(app, "cesu-novads", 2026, {"respondent_name": "Ilze"}, actor_id=users["editor"].id)
    client = login_as("editor2")
    client.post(f"{BASE}/sections/respondent", data={"base_version": "2", "f.respondent_name": "Jānis",
                                                     "action": "save"})
    page = client.get(f"{BASE}/history").get_data(as_text=True)
    row = page.split("<tbody>")[1].split("</tr>")[0]
    assert "Editor2" in row and "Ilze" in row and "Jānis" in row


def test_add_row_without_saving_keeps_other_input(app, users, login_as):
    make_return(app, "cesu-novads", 2026, {}, actor_id=users["editor"].id)
    page = login_as("editor").post(f"{BASE}/sections/business_grants", data={
        "base_version": "1", "f.has_business_grants": "yes", "f.business_support_gaps_needs": "Telpas",
        "g.grant_programmes.rows": "0", "action": "add:grant_programmes"}).get_data(as_text=True)
    assert "Telpas" in page and 'name="g.grant_programmes.0.name"' in page


def test_login_required_overview_offers_start_only_to_editors(app, users, login_as):
    reviewer_page = login_as("reviewer").get(BASE).get_data(as_text=True)
    assert "/start" not in reviewer_page
    editor_page = login_as("editor").get(BASE).get_data(as_text=True)
    assert "/start" in editor_page


def test_progress_per_section_on_overview(app, users, login_as):
    answers = complete_answers()
    make_return(app, "cesu-novads", 2026, {k: answers[k] for k in ("remigration_promotion_topicality",
                                                                    "support_programmes_needed")},
                actor_id=users["editor"].id)
    page = login_as("editor").get(BASE).get_data(as_text=True)
    assert re.search(r"2 (of|no) 8", page)
    assert page.count("<progress") == len(get_definition(2026).sections)


def test_login_page_and_every_section_render_for_each_role(app, users, login_as):
    make_return(app, "cesu-novads", 2026, complete_answers(), actor_id=users["editor"].id)
    for role in ("admin", "reviewer", "editor"):
        client = login_as(role)
        for section in get_definition(2026).sections:
            assert client.get(f"{BASE}/sections/{section.key}").status_code == 200, (role, section.key)
    login(app.test_client(), users["researcher"]).get("/returns/")


def test_a_repeated_row_id_never_merges_two_rows(app, users, login_as):
    return_id = make_return(app, "cesu-novads", 2026, {"contact_persons": [
        {"name": "Iveta Ābola", "position": "Speciāliste", "email": "iveta@cesis.lv", "is_public": "yes"}]},
        actor_id=users["editor"].id)
    uid = _answers(app, return_id)[0]["contact_persons"][0]["_uid"]
    client = login_as("editor")
    response = client.post(f"{BASE}/sections/contacts", data={
        "base_version": "2", "action": "save", "g.contact_persons.rows": "2",
        "g.contact_persons.0._uid": uid, "g.contact_persons.0.name": "Iveta Ābola",
        "g.contact_persons.0.position": "Speciāliste", "g.contact_persons.0.email": "iveta@cesis.lv",
        "g.contact_persons.0.is_public": "yes",
        "g.contact_persons.1._uid": uid, "g.contact_persons.1.name": "Aivars Kārkliņš",
        "g.contact_persons.1.position": "Vadītājs", "g.contact_persons.1.email": "aivars@cesis.lv",
        "g.contact_persons.1.is_public": "no"})
    assert response.status_code == 302
    rows = _answers(app, return_id)[0]["contact_persons"]
    assert [r["name"] for r in rows] == ["Iveta Ābola", "Aivars Kārkliņš"]
    assert rows[0]["_uid"] == uid and rows[1]["_uid"] != uid


def test_messages_point_at_the_row_on_the_page_even_after_a_blank_row(app, users, login_as):
    make_return(app, "cesu-novads", 2026, {}, actor_id=users["editor"].id)
    response = login_as("editor").post(f"{BASE}/sections/contacts", data={
        "base_version": "1", "action": "save", "g.contact_persons.rows": "2",
        "g.contact_persons.1.name": "Anna", "g.contact_persons.1.email": "nav-adrese"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'href="#g-contact_persons-0-email"' in page and 'id="g-contact_persons-0-email"' in page
    assert 'value="nav-adrese"' in page.split('id="g-contact_persons-0-email"')[0][-400:] + \
        page.split('id="g-contact_persons-0-email"')[1][:200]


def test_integer_with_a_separator_is_refused_not_misread(app, users, login_as):
    return_id = make_return(app, "cesu-novads", 2026, {}, actor_id=users["editor"].id)
    response = login_as("editor").post(f"{BASE}/sections/returnees", data={
        "base_version": "1", "action": "save", "f.tracks_returnee_information": "yes",
        "f.returnees_persons": "12,000"})
    assert response.status_code == 422 and "veselu skaitli" in response.get_data(as_text=True)
    assert _answers(app, return_id)[0]["returnees_persons"] is None


def test_an_answer_to_a_question_that_does_not_apply_is_reported_not_dropped_silently(app, users, login_as):
    return_id = make_return(app, "cesu-novads", 2026, {}, actor_id=users["editor"].id)
    client = login_as("editor")
    response = client.post(f"{BASE}/sections/returnees", data={
        "base_version": "1", "f.tracks_returnee_information": "no", "f.returnees_persons": "12",
        "action": "save"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "atbilde netiek saglabāta" in page and "«Nē»" in page  # the note, at the top of the section
    values, _, _ = _answers(app, return_id)
    assert values["tracks_returnee_information"] == "no" and values["returnees_persons"] is None


def test_start_from_last_year_goes_through_the_edit_plan_and_records_what_it_did_not_copy(app, users, login_as):
    """Every caller that changes answers plans the edit with ``returns.edit.plan_edit`` and writes with
    ``storage.apply_edit``: a copied answer that does not validate this year is left out and named in the audit
    log rather than copied half-way."""
    from monitor.audit.models import AuditEvent
    from monitor.extensions import db

    last_year = dict(complete_answers(2025))
    make_return(app, "cesu-novads", 2025, last_year, actor_id=users["admin"].id, status="submitted")
    assert login_as("editor").post(f"{BASE}/start", data={"from_last_year": "1"}).status_code == 302
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "return_started")
                                  .order_by(AuditEvent.id.desc()).limit(1))
        assert event.detail["from_last_year"] is True
        assert event.detail["values_copied"] > 10 and event.detail["not_copied"] == []
