"""The public search of support measures (issue 12, part 2): diacritics-insensitive text, every filter, the amount
range, paging, empty results, only the measures in force — on SQLite (LIKE) and PostgreSQL (full-text search)."""

from __future__ import annotations

import html
import re

import pytest

from tests.conftest import is_postgres
from tests.factories import answers_2027, complete_answers, make_return
from tests.monitor.test_public_profiles import _act, _approved

LIEPAJA_GRANTS = (("Māja jaunai ģimenei", "remigrants_only", "15000"), ("Liepājas mikrogrants", "open_to_all", "1500"),
                  ("Majas remonts bez garumzimem", "open_to_all", None))


def grants(year: int, *rows: tuple[str, str, str | None]) -> dict:
    answers = complete_answers(year)
    base = {k: v for k, v in answers["grant_programmes"][0].items() if k != "max_grant_eur"}
    answers["grant_programmes"] = [{**base, "name": name, "eligibility": who,
                                    **({"max_grant_eur": amount} if amount else {})} for name, who, amount in rows]
    return answers


@pytest.fixture
def catalogue(app, users):
    """Cēsu novads 2027 (a measure of every kind, who-answers), Liepāja 2026 (three grants and the rental scheme),
    Valmiera's draft (never public)."""
    _approved(app, users, "cesu-novads", 2027, answers_2027())
    _approved(app, users, "liepaja", 2026, grants(2026, *LIEPAJA_GRANTS))
    make_return(app, "valmieras-novads", 2026, grants(2026, ("Melnraksta māja", "open_to_all", "9000")),
                actor_id=users["admin"].id)
    return users


def search(app, **kw):
    from monitor.public.search import MeasureQuery, search_measures

    with app.app_context():
        return search_measures(MeasureQuery(**kw))


def titles(app, **kw) -> list[str]:
    return [h.title_lv for h in search(app, per_page=None, **kw).items]


def test_the_engine_is_the_one_of_the_database(app):
    from monitor.extensions import db
    from monitor.public.search import _text_match

    with app.app_context():
        sql = str(_text_match(["maj"]).compile(dialect=db.engine.dialect))
    assert ("@@" in sql and "to_tsvector" in sql) if is_postgres() else "LIKE" in sql


@pytest.mark.postgres_only
def test_postgres_search_can_use_the_partial_gin_index(app, catalogue):
    from sqlalchemy import func, select, text

    from monitor.extensions import db
    from monitor.public.models import PublishedMeasure
    from monitor.public.search import MeasureQuery, _conditions

    if not is_postgres():
        pytest.skip("PostgreSQL only")
    with app.app_context():
        statement = select(func.count()).select_from(PublishedMeasure).where(
            *[c for c in _conditions(MeasureQuery(text="maja cesu")) if "region" not in str(c)])
        # on a few rows the planner rightly prefers any index; what matters is that the partial GIN index's
        # predicate (WHERE is_latest) is provable from the search's conditions, so it is its only other choice
        # here (DDL is transactional: the rollback below restores the btree)
        db.session.execute(text("DROP INDEX ix_published_measure_is_latest"))
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(db.session.execute(text("EXPLAIN " + str(statement.compile(
            dialect=db.engine.dialect, compile_kwargs={"literal_binds": True})))).scalars())
        db.session.rollback()
    assert "ix_published_measure_search_fts" in plan, plan


def test_text_finds_with_or_without_diacritics(app, catalogue):
    assert titles(app, text="maja jaunai") == ["Māja jaunai ģimenei"]
    assert titles(app, text="MĀJA  jaunai ") == ["Māja jaunai ģimenei"]
    # typed without diacritics, found with them
    assert titles(app, text="Mājas remonts") == ["Majas remonts bez garumzimem"]
    # the municipality's name, both ways and in both languages
    cesis = titles(app, text="cesis")
    assert cesis and titles(app, text="Cēsis") == cesis and titles(app, text="cesu") == cesis
    assert titles(app, municipality="cesu-novads") == cesis
    assert titles(app, text="Liepāja mikrogrants") == ["Liepājas mikrogrants"]
    assert titles(app, text="liepaja mikrogrants") == ["Liepājas mikrogrants"]


def test_prefix_and_every_word_must_match(app, catalogue):
    found = titles(app, text="maj")
    assert {"Māja jaunai ģimenei", "Majas remonts bez garumzimem"} <= set(found)
    assert "Īres dzīvokļi speciālistiem" in found  # kind "Mājoklis"
    assert titles(app, text="maj liepaj remont") == ["Majas remonts bez garumzimem"]
    assert titles(app, text="maja nekasnebija") == []


def test_only_approved_measures_in_force(app, catalogue):
    everything = titles(app)
    assert not any("Melnraksta" in t for t in everything)  # a draft
    assert titles(app, text="melnraksta") == []


def test_each_filter(app, catalogue):
    by_kind = search(app, kind="housing", per_page=None).items
    assert by_kind and {h.kind for h in by_kind} == {"housing"}
    assert {h.municipality_slug for h in by_kind} == {"cesu-novads", "liepaja"}
    only = search(app, who="remigrants_only", per_page=None).items
    assert {h.title_lv for h in only} >= {"Māja jaunai ģimenei", "Cēsu novada uzņēmējdarbības atbalsta konkurss",
                                          "Īres dzīvokļi speciālistiem"}
    assert {h.who for h in only} == {"remigrants_only"}
    not_stated = search(app, who="not_stated", per_page=None).items
    assert [h.municipality_slug for h in not_stated] == ["liepaja"]  # the 2026 form does not ask who
    kurzeme = search(app, region="kurzeme-region", per_page=None).items
    assert kurzeme and {h.municipality_slug for h in kurzeme} == {"liepaja"}
    assert {h.region_slug for h in search(app, municipality="cesu-novads", per_page=None).items} == {"vidzeme-region"}
    assert search(app, region="kurzeme-region", municipality="cesu-novads").total == 0
    combined = titles(app, text="maja", who="remigrants_only", region="kurzeme-region", kind="business_grants")
    assert combined == ["Māja jaunai ģimenei"]


def test_amount_range(app, catalogue):
    from decimal import Decimal as D

    assert set(titles(app, amount_min=D(5000))) == {"Māja jaunai ģimenei",
                                                     "Cēsu novada uzņēmējdarbības atbalsta konkurss"}
    assert titles(app, amount_max=D(5000)) == ["Liepājas mikrogrants"]
    assert titles(app, amount_min=D(2000), amount_max=D(8000)) == ["Cēsu novada uzņēmējdarbības atbalsta konkurss"]
    assert titles(app, amount_min=D(7000), amount_max=D(7000)) == ["Cēsu novada uzņēmējdarbības atbalsta konkurss"]
    assert titles(app, amount_min=D(20000)) == []


def test_paging(app, users):
    rows = [(f"Grants numur {i:02d}", "open_to_all", str(1000 + i)) for i in range(23)]
    _approved(app, users, "liepaja", 2026, grants(2026, *rows))
    first = search(app, text="grants numur")
    assert (first.total, first.pages, len(first.items), first.has_next) == (23, 2, 20, True)
    second = search(app, text="grants numur", page=2)
    assert len(second.items) == 3 and not second.has_next and second.first_number == 21
    assert {h.id for h in first.items}.isdisjoint({h.id for h in second.items})
    beyond = search(app, text="grants numur", page=5)
    assert beyond.items == [] and beyond.total == 23


def test_reopened_return_keeps_its_approved_measures_and_the_newest_year_is_in_force(app, users):
    _approved(app, users, "cesu-novads", 2026, grants(2026, ("Vecais grants", "open_to_all", "100")))
    rid = _approved(app, users, "cesu-novads", 2027, answers_2027())
    assert titles(app, text="vecais") == []  # 2026 is no longer in force
    edited = answers_2027()["grant_programmes"][0] | {"name": "Labotais grants"}
    _act(app, rid, users["admin"].id, "reopen", "edit", answers={"grant_programmes": [edited]})
    assert titles(app, text="labotais") == []
    assert titles(app, text="uznemejdarbibas atbalsta") == ["Cēsu novada uzņēmējdarbības atbalsta konkurss"]
    _act(app, rid, users["admin"].id, "submit", "approve")
    assert titles(app, text="labotais") == ["Labotais grants"]


# ------------------------------------------------------------------------------------------- the page

def _get(client, url, locale=None):
    if locale:
        client.post("/public/language", data={"locale": locale})
    response = client.get(url)
    assert response.status_code == 200, url
    return response, html.unescape(response.get_data(as_text=True))


def test_page_lists_results_with_municipality_and_profile_link(app, client, catalogue):
    response, page = _get(client, "/measures?q=maja+jaunai&kind=business_grants&who=&region=&amount_min=&amount_max=")
    assert "Atrasti pasākumi: 1" in page
    assert "Māja jaunai ģimenei" in page and "Liepāja" in page
    assert 'href="/municipalities/liepaja#kind-business_grants"' in page
    assert 'value="maja jaunai"' in page and re.search(r'<option value="business_grants" selected>', page)
    assert "Melnraksta" not in page
    assert response.headers["Cache-Control"] == "public, max-age=300"
    etag = response.headers["ETag"]
    again = client.get("/measures?q=maja+jaunai&kind=business_grants&who=&region=&amount_min=&amount_max=",
                       headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["Cache-Control"] == "public, max-age=300"
    assert "Set-Cookie" not in again.headers and "Set-Cookie" not in response.headers


def test_page_is_a_get_form_that_works_without_javascript(client, catalogue):
    _response, page = _get(client, "/measures")
    form = re.search(r"<form method=\"get\" action=\"/measures\"[^>]*>(.*?)</form>", page, re.S)
    assert form and "<script" not in page
    for name in ("q", "kind", "who", "region", "municipality", "amount_min", "amount_max"):
        assert f'name="{name}"' in form.group(1)
    assert "Atrasti pasākumi: " in page


def test_empty_result_says_so_and_suggests_removing_filters(client, catalogue):
    _response, page = _get(client, "/measures?q=maja&region=latgale-region")
    assert "Atrasti pasākumi: 0" in page and "Neviens atbalsta pasākums neatbilst" in page
    assert 'href="/measures?region=latgale-region"' in page  # without the text
    assert 'href="/measures?q=maja"' in page and "bez „Latgales plānošanas reģions”" in page  # without the region
    _response, page = _get(client, "/measures?q=maja&region=latgale-region", locale="en")
    assert "No support measure matches this search." in page and "Try removing a filter" in page


def test_page_paging_links_keep_the_search(app, users, client):
    rows = [(f"Grants numur {i:02d}", "open_to_all", "1000") for i in range(23)]
    _approved(app, users, "liepaja", 2026, grants(2026, *rows))
    _response, page = _get(client, "/measures?q=grants+numur")
    assert "Atrasti pasākumi: 23" in page and "1. lapa no 2" in page
    assert 'href="/measures?q=grants+numur&page=2"' in page
    _response, page = _get(client, "/measures?q=grants+numur&page=2")
    assert 'href="/measures?q=grants+numur"' in page and "Grants numur 22" in page
    _response, page = _get(client, "/measures?q=grants+numur&page=9")  # a shared link to a page that is gone
    assert "Atrasti pasākumi: 23" in page and "Uz rezultātu pirmo lapu" in page


def test_invalid_parameters_are_explained_not_fatal(client, catalogue):
    _response, page = _get(client, "/measures?amount_min=daudz&kind=nav&q=maja")
    assert page.count('class="field-error"') == 2
    assert "Māja jaunai ģimenei" in page  # the valid part of the search still applies


def test_page_in_english(client, catalogue):
    _response, page = _get(client, "/measures?municipality=cesu-novads", locale="en")
    assert '<html lang="en">' in page and "Search support measures" in page and "Cēsis Municipality" in page
    assert "Only returnees" in page and "Business grants" in page
    assert 'lang="lv">Cēsu novada uzņēmējdarbības atbalsta konkurss' in page


def test_latvian_search_page_has_no_english_strings(client, catalogue):
    from tests.monitor.test_public_profiles import _public_msgids

    english = [m.split("%(")[0].strip() for m in _public_msgids()]
    english = [m for m in english if len(m) > 12]
    for url in ("/measures?q=maja", "/measures?q=maja&region=latgale-region", "/measures?q=x&page=3"):
        _response, page = _get(client, url, locale="lv")
        leaked = [m for m in english if m in page]
        assert not leaked, (url, leaked)
