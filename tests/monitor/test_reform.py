"""The 2021 reform table (119 former municipalities → the 43) and ``monitor.registry.reform``."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from monitor.registry import reform

DATA = Path(__file__).resolve().parents[2] / "monitor" / "data"
TABLE = json.loads((DATA / "reform-2021.json").read_text(encoding="utf-8"))
REGISTRY = json.loads((DATA / "municipalities.json").read_text(encoding="utf-8"))
SLUGS = {m["slug"] for m in REGISTRY["municipalities"]}


def test_the_table_has_119_former_municipalities_110_novadi_and_9_republic_cities():
    former = TABLE["former"]
    assert len(former) == 119
    assert Counter(e["kind"] for e in former) == {"novads": 110, "republic_city": 9}
    assert {e["kind_lv"] for e in former} == {"novads", "republikas pilsēta"}
    assert len({e["name"] for e in former}) == 119
    assert len({reform.normalise_name(e["name"]) for e in former}) == 119  # no two names collide without diacritics
    assert all(e["name"].endswith(" novads") == (e["kind"] == "novads") for e in former)
    assert {e["name"] for e in former if e["kind"] == "republic_city"} == {
        "Daugavpils", "Jelgava", "Jēkabpils", "Jūrmala", "Liepāja", "Rēzekne", "Rīga", "Valmiera", "Ventspils"}


def test_atvk_codes_are_seven_digits_and_unique():
    codes = [e["atvk"] for e in TABLE["former"]]
    assert all(isinstance(c, str) and len(c) == 7 and c.isdigit() for c in codes)
    assert len(set(codes)) == 119


def test_the_source_is_named():
    source = TABLE["source"]
    assert source["url"] == "https://likumi.lv/ta/id/315654"
    assert "Administratīvo teritoriju un apdzīvoto vietu likums" in source["name"]
    for key in ("publisher", "adopted", "reform_date", "licence"):
        assert source[key]
    assert reform.source()["url"] == source["url"]


def test_every_successor_is_in_the_registry_and_every_one_of_the_43_has_predecessors():
    assert len(SLUGS) == 43
    for e in TABLE["former"]:
        assert e["successors"], e["name"]
        assert all(s["slug"] in SLUGS for s in e["successors"]), e["name"]
        assert e["successor"] == (e["successors"][0]["slug"] if len(e["successors"]) == 1 else None)
    assert all(reform.predecessors(slug) for slug in SLUGS)  # no documented exception is needed
    # the two new names were formed from former novadi too
    assert [f.name for f in reform.predecessors("augsdaugavas-novads")] == ["Daugavpils novads", "Ilūkstes novads"]
    assert len(reform.predecessors("dienvidkurzemes-novads")) == 8
    total = sum(len(reform.predecessors(slug)) for slug in SLUGS)
    assert total == 119 + sum(len(e["successors"]) - 1 for e in TABLE["former"]) == 121


def test_the_cities_that_stayed_and_the_two_that_were_merged():
    for city in ("riga", "jurmala", "liepaja", "jelgava", "ventspils", "daugavpils", "rezekne"):
        assert [(f.name, f.kind) for f in reform.predecessors(city)] == [
            (reform.successor_of(city).former.name, "republic_city")]
    assert reform.successor_of("Jēkabpils").slug == "jekabpils-novads"
    assert reform.successor_of("Valmiera").slug == "valmieras-novads"
    assert [f.name for f in reform.predecessors("valmieras-novads")][0] == "Valmiera"
    assert [f.name for f in reform.predecessors("varaklanu-novads")] == ["Varakļānu novads"]


@pytest.mark.parametrize("name, slug, former", [
    ("Cēsu novads", "cesu-novads", "Cēsu novads"),
    ("cesu novads", "cesu-novads", "Cēsu novads"),
    ("CĒSU NOVADS", "cesu-novads", "Cēsu novads"),
    ("Priekuļu nov.", "cesu-novads", "Priekuļu novads"),
    ("priekulu", "cesu-novads", "Priekuļu novads"),
    ("  Priekuļu   novads ", "cesu-novads", "Priekuļu novads"),
    ("Priekules novads", "dienvidkurzemes-novads", "Priekules novads"),
    ("Jēkabpils pilsēta", "jekabpils-novads", "Jēkabpils"),
    ("Jēkabpils", "jekabpils-novads", "Jēkabpils"),
    ("Jēkabpils novads", "jekabpils-novads", "Jēkabpils novads"),
    ("Rīgas pilsēta", "riga", "Rīga"),
    ("Ventspils", "ventspils", "Ventspils"),
    ("Ventspils novads", "ventspils-novads", "Ventspils novads"),
    ("Ventspils nov.", "ventspils-novads", "Ventspils novads"),
    ("Daugavpils novads", "augsdaugavas-novads", "Daugavpils novads"),
    ("Daugavpils", "daugavpils", "Daugavpils"),
    ("Apes novads", "smiltenes-novads", "Apes novads"),
    ("Raunas novads", "smiltenes-novads", "Raunas novads"),
    ("Sējas novads", "saulkrastu-novads", "Sējas novads"),
    ("Krimuldas novads", "siguldas-novads", "Krimuldas novads"),
    ("0427300", "cesu-novads", "Priekuļu novads"),
    ("LV0427300", "cesu-novads", "Priekuļu novads"),
])
def test_successor_of_matches_names_case_and_diacritics_insensitively(name, slug, former):
    found = reform.successor_of(name)
    assert found is not None and not found.split
    assert (found.slug, found.former.name) == (slug, former)


@pytest.mark.parametrize("name", ["", "Augšdaugavas novads", "Nekurienes novads", "1234567", "novads"])
def test_names_of_no_former_municipality_give_none(name):
    assert reform.successor_of(name) is None


def test_a_divided_municipality_is_reported_as_such_never_guessed():
    found = reform.successor_of("Inčukalna novads")
    assert found.split and found.slug is None
    assert set(found.candidates) == {"siguldas-novads", "ropazu-novads"}
    shares = {s.slug: s.parts for s in found.former.shares}
    assert shares == {"siguldas-novads": ("Inčukalna pagasts",), "ropazu-novads": ("Vangažu pilsēta",)}
    ropazi = {f.name: f.parts for f in reform.predecessors("ropazu-novads")}
    assert ropazi == {"Garkalnes novads": (), "Inčukalna novads": ("Vangažu pilsēta",), "Ropažu novads": (),
                      "Stopiņu novads": ()}
    assert {f.name: f.parts for f in reform.predecessors("siguldas-novads")}["Inčukalna novads"] == (
        "Inčukalna pagasts",)
    assert sorted(e["name"] for e in TABLE["former"] if len(e["successors"]) > 1) == [
        "Aglonas novads", "Inčukalna novads"]
    aglona = reform.successor_of("Aglonas nov.")
    assert aglona.split and set(aglona.candidates) == {"preilu-novads", "kraslavas-novads"}
    assert {f.name: f.parts for f in reform.predecessors("kraslavas-novads")} == {
        "Aglonas novads": ("Grāveru pagasts", "Kastuļinas pagasts", "Šķeltovas pagasts"), "Dagdas novads": (),
        "Krāslavas novads": ()}
    assert {f.name: f.parts for f in reform.predecessors("preilu-novads")} == {
        "Aglonas novads": ("Aglonas pagasts",), "Preiļu novads": (), "Riebiņu novads": (), "Vārkavas novads": ()}


def test_normalise_name():
    assert reform.normalise_name("  Priekuļu   Nov. ") == "priekulu nov"
    assert reform.normalise_name("Ķekavas novads") == "kekavas novads"


def test_predecessors_are_easy_to_render():
    formers = reform.predecessors("cesu-novads")
    assert [f.name for f in formers] == ["Amatas novads", "Cēsu novads", "Jaunpiebalgas novads", "Līgatnes novads",
                                         "Pārgaujas novads", "Priekuļu novads", "Vecpiebalgas novads"]
    assert {f.kind for f in formers} == {"novads"} and all(f.kind in reform.KINDS for f in formers)
    assert reform.predecessors("no-such-place") == []


@pytest.mark.parametrize("text, year, slug, former", [
    ("cesu-novads", 2022, "cesu-novads", None),
    ("CESU-NOVADS", 2022, "cesu-novads", None),
    ("Cēsu novads", 2022, "cesu-novads", None),  # from the reform on, the current Cēsu novads
    ("Cēsu novads", 2019, "cesu-novads", "Cēsu novads"),  # before it, the former one
    ("Priekuļu novads", 2022, "cesu-novads", "Priekuļu novads"),
    ("Augšdaugavas novads", 2019, "augsdaugavas-novads", None),
    ("Inčukalna novads", 2022, None, "Inčukalna novads"),
    ("Nekurienes novads", 2022, None, None),
])
def test_match_unit_reads_slugs_current_names_and_pre_reform_names(text, year, slug, former):
    found = reform.match_unit(text, year, SLUGS)
    assert found.slug == slug
    assert (found.former.name if found.former else None) == former


def test_municipality_page_macro_renders_the_predecessors(app):
    with app.test_request_context():
        from flask import render_template_string

        html = render_template_string('{% import "registry/_reform.html" as r with context %}'
                                      '{{ r.formed_from(p) }}', p=reform.predecessors("ropazu-novads"))
        assert "Formed in 2021 from:" in html or "Izveidots 2021. gadā no:" in html
        assert "Inčukalna novads" in html and "Vangažu pilsēta" in html
        html = render_template_string('{% import "registry/_reform.html" as r with context %}'
                                      '{{ r.formed_from(p) }}', p=reform.predecessors("riga"))
        assert "Rīga" in html and "2021" in html


def test_the_report_municipality_page_says_what_it_was_formed_from(app, users, login_as):
    from monitor.extensions import db
    from monitor.reporting.operations import compile_snapshot, load_reference_data
    from tests.factories import complete_answers, make_return

    make_return(app, "cesu-novads", 2026, complete_answers(), actor_id=users["editor"].id, status="approved")
    with app.app_context():
        load_reference_data()
        compile_snapshot(2026)
        db.session.commit()
    client = login_as("researcher")
    page = client.get("/reports/2026/municipalities/cesu-novads").get_data(as_text=True)
    line = page.split('class="reform-history"')[1].split("</p>")[0]
    assert "Izveidots 2021. gadā no:" in line
    for name in ("Amatas novads", "Priekuļu novads", "Vecpiebalgas novads"):
        assert name in line
    page = client.get("/reports/2026/municipalities/valmieras-novads").get_data(as_text=True)
    line = page.split('class="reform-history"')[1].split("</p>")[0]
    assert "Valmiera (republikas pilsēta)" in line and "Strenču novads" in line
    page = client.get("/reports/2026/municipalities/gulbenes-novads").get_data(as_text=True)
    assert "Pirms 2021. gada reformas: Gulbenes novads (tā pati teritorija)." in page
    client.post("/language", data={"locale": "en"})
    page = client.get("/reports/2026/municipalities/ropazu-novads").get_data(as_text=True)
    line = page.split('class="reform-history"')[1].split("</p>")[0]
    assert "Formed in 2021 from:" in line and "Inčukalna novads (only Vangažu pilsēta)" in line
