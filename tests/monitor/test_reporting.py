"""Reference data versions, report snapshots, the CLI, the JSON API and the report pages (scoped)."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from tests.factories import complete_answers, make_return


def _load_reference(app):
    from monitor.extensions import db
    from monitor.reporting.operations import load_reference_data

    with app.app_context():
        result = load_reference_data()
        db.session.commit()
        return result


def test_reference_data_is_versioned_and_idempotent(app, tmp_path):
    from monitor.extensions import db
    from monitor.reporting.models import ReferenceDataset, ReferenceFigureRow
    from monitor.reporting.operations import REFERENCE_FILE, load_reference_data

    first = _load_reference(app)
    assert set(first) == {"biss_2017", "survey_2022"} and all(added for _v, added in first.values())
    second = _load_reference(app)
    assert all(not added for _v, added in second.values())
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ReferenceDataset)) == 2
        rows = db.session.scalar(select(func.count()).select_from(ReferenceFigureRow))
        data = json.loads(REFERENCE_FILE.read_text(encoding="utf-8"))
        assert rows == len(data["baseline_2017"]) + len(data["survey_2022"])  # every figure kept, none invented
        # a corrected figure makes a new current version; the old one stays for old snapshots
        data["baseline_2017"][0]["value"] = 81
        changed = tmp_path / "baseline.json"
        changed.write_text(json.dumps(data), encoding="utf-8")
        result = load_reference_data(changed)
        db.session.commit()
        assert result["biss_2017"][1] and not result["survey_2022"][1]
        versions = db.session.execute(select(ReferenceDataset.key, ReferenceDataset.is_current)
                                      .order_by(ReferenceDataset.id)).all()
        assert [tuple(v) for v in versions] == [("biss_2017", False), ("survey_2022", True), ("biss_2017", True)]


def test_snapshot_reused_for_same_inputs_and_renewed_when_approved_data_change(app, users):
    from monitor.extensions import db
    from monitor.reporting.operations import compile_snapshot

    _load_reference(app)
    make_return(app, "cesu-novads", 2026, complete_answers(), actor_id=users["editor"].id, status="approved")
    make_return(app, "liepaja", 2026, complete_answers(), actor_id=users["editor_other"].id, status="submitted")
    with app.app_context():
        first, new = compile_snapshot(2026)
        db.session.commit()
        first_id = first.id
        assert new and first.payload["n_units"] == 1  # only approved returns count by default
        again, new = compile_snapshot(2026)
        assert not new and again.id == first_id
        assert compile_snapshot(2026, statuses=frozenset({"approved", "submitted"}))[0].payload["n_units"] == 2
        db.session.rollback()
    make_return(app, "valmieras-novads", 2026, complete_answers(), actor_id=users["admin"].id, status="approved")
    with app.app_context():
        third, new = compile_snapshot(2026)
        db.session.commit()
        assert new and third.id != first_id and third.payload["n_units"] == 2
        figure = next(i for i in third.payload["indicators"] if i["key"] ==
                      "remigration_promotion_topicality.very_or_rather_topical")
        assert figure["national"]["n"] == 2 and figure["national"]["numerator"] == 2
        # every comparison with 2017 carries the reform caveat
        for comparison in figure["national"]["comparisons"]:
            if comparison["against"] == "biss_2017":
                assert any(c["key"] == "reform_2021" for c in comparison["caveats"])


def test_cli_compiles_and_writes_json(app, users, tmp_path):
    _load_reference(app)
    make_return(app, "cesu-novads", 2026, complete_answers(), actor_id=users["editor"].id, status="approved")
    out = tmp_path / "report.json"
    result = app.test_cli_runner().invoke(args=["reports", "compile", "--year", "2026", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "snapshot" in result.output and "new" in result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["year"] == 2026 and report["n_units"] == 1 and report["indicators"]
    result = app.test_cli_runner().invoke(args=["reports", "compile", "--year", "2026", "--out", "-"])
    assert json.loads(result.output)["year"] == 2026
    assert app.test_cli_runner().invoke(args=["reports", "compile", "--year", "1999"]).exit_code != 0


def test_api_and_pages_are_scoped(app, users, login_as):
    from monitor.extensions import db
    from monitor.reporting.operations import compile_snapshot

    _load_reference(app)
    make_return(app, "cesu-novads", 2026, complete_answers(), actor_id=users["editor"].id, status="approved")
    with app.app_context():
        snapshot, _new = compile_snapshot(2026)
        db.session.commit()
        key = snapshot.payload["indicators"][0]["key"]
        table = snapshot.payload["tables"][0]["key"]
    for role in ("admin", "researcher"):
        response = login_as(role).get("/api/reports/2026")
        assert response.status_code == 200 and response.get_json()["report"]["year"] == 2026
    for role in ("editor", "reviewer"):
        assert login_as(role).get("/api/reports/2026").status_code == 404
    for role in ("admin", "reviewer", "researcher"):
        client = login_as(role)
        for url in ("/reports/?year=2026", f"/reports/2026/indicators/{key}", f"/reports/2026/tables/{table}"):
            assert client.get(url).status_code == 200, (role, url)
    assert login_as("editor").get("/reports/?year=2026").status_code == 404
    # the municipality benchmark: own municipality yes, another no
    assert login_as("editor").get("/reports/2026/municipalities/cesu-novads").status_code == 200
    assert login_as("editor").get("/reports/2026/municipalities/liepaja").status_code == 404
    assert login_as("reviewer").get("/reports/2026/municipalities/liepaja").status_code == 404
    region = login_as("reviewer").get("/reports/2026/regions/vidzeme-region").get_data(as_text=True)
    assert "Cēsu novads" in region and "(n = 1)" in region
    scatter = login_as("admin").get("/reports/2026/tables/state_support_vs_grant_uptake").get_data(as_text=True)
    assert "<circle" in scatter and "Cēsu novads" in scatter  # the chart and its data table, with names
    page = login_as("admin").get(f"/reports/2026/indicators/{key}").get_data(as_text=True)
    assert "n" in page and ("nav līdzvērtīgs" in page or "Not like-for-like" in page)


def test_reference_figures_survive_the_database_exactly(app):
    """What the report compares with must be the file's figures, qualifiers (bounds) included."""
    from monitor.extensions import db
    from monitor.reporting.operations import REFERENCE_FILE
    from monitor.reporting.queries import current_reference
    from reports.reference import load_reference

    _load_reference(app)
    expected = load_reference(json.loads(REFERENCE_FILE.read_text(encoding="utf-8")))
    with app.app_context():
        stored, version = current_reference()
        db.session.rollback()
    key = lambda f: (f.dataset, f.indicator_key, f.scope, f.source_line, f.unit, f.note)  # noqa: E731
    assert sorted(stored, key=key) == sorted(expected, key=key)
    assert version.startswith("biss_2017:") and ";survey_2022:" in version


def test_pages_state_coverage_no_data_and_the_base(app, users, login_as):
    """The coverage line names the municipalities without a counted return; a figure nobody answered reads "no
    data" with no change against 2017, 2022 or last year, though the references are there."""
    from monitor.auth.models import User
    from monitor.extensions import db
    from monitor.reporting.operations import compile_snapshot

    _load_reference(app)
    answers = {k: v for k, v in complete_answers().items() if k != "measures_5y_types"}  # not asked / left blank
    make_return(app, "cesu-novads", 2026, answers, actor_id=users["editor"].id, status="approved")
    make_return(app, "liepaja", 2026, complete_answers(), actor_id=users["editor_other"].id, status="submitted")
    with app.app_context():
        snapshot, _new = compile_snapshot(2026)
        db.session.commit()
        coverage = snapshot.payload["coverage"]
        assert (coverage["expected"], coverage["counted"]) == (43, 1)
        assert coverage["returns_by_status"] == {"approved": 1, "submitted": 1}
        assert len(coverage["missing"]) == 42 and coverage["missing_with_return"] == {"liepaja": "submitted"}
        assert coverage["regions"]["vidzeme-region"]["counted"] == 1
        kurzeme = coverage["regions"]["kurzeme-region"]["expected"]
        assert sum(r["expected"] for r in coverage["regions"].values()) == 43
        entry = next(i for i in snapshot.payload["indicators"] if i["key"] == "measures_5y_types.training_support")
        assert entry["national"]["value"] is None and entry["national"]["n_missing"] == 1
        assert entry["base"]["denominator"] == "answered"
        assert entry["national"]["comparisons"] and all(c["change"] is None for c in entry["national"]["comparisons"])

    client = login_as("researcher")
    index = client.get("/reports/?year=2026").get_data(as_text=True)
    assert "ieskaitītas 1 no 43 pašvaldībām" in index
    assert "ieskaitītas 1 no 43 pašvaldībām (Apstiprināts); pārskati pēc statusa: Apstiprināts 1, Iesniegts 1" in index
    assert "Nav ieskaitītas (42)" in index and "Liepājas valstspilsēta (Iesniegts)" in index
    assert "Valmieras novads (nav pārskata)" in index
    assert "bāze: pašvaldības, kas atbildēja" in index and "bāze: visas ieskaitītās pašvaldības" in index
    page = client.get("/reports/2026/indicators/measures_5y_types.training_support").get_data(as_text=True)
    assert "nav datu" in page and "ieskaitītas 1 no 43" in page
    assert "2017 (BISS)" in page or "2017" in page  # the reference is shown…
    assert "p. p.</strong>" not in page and "→" not in page  # …but no change is printed
    region = client.get("/reports/2026/regions/kurzeme-region").get_data(as_text=True)
    assert f"ieskaitītas 0 no {kurzeme} reģiona pašvaldībām" in region
    assert "Liepājas valstspilsēta (Iesniegts)" in region

    with app.app_context():
        db.session.get(User, users["researcher"].id).locale = "en"
        db.session.commit()
    page = client.get("/reports/2026/indicators/measures_5y_types.training_support").get_data(as_text=True)
    assert "no data" in page and "1 of 43 municipalities counted" in page and "pp</strong>" not in page
    assert "base: municipalities that answered" in page and "Liepāj" in page


def test_a_snapshot_without_coverage_still_renders(app, users, login_as):
    from monitor.extensions import db
    from monitor.reporting.operations import compile_snapshot

    _load_reference(app)
    make_return(app, "cesu-novads", 2026, complete_answers(), actor_id=users["editor"].id, status="approved")
    with app.app_context():
        snapshot, _new = compile_snapshot(2026)
        payload = json.loads(json.dumps(snapshot.payload))
        del payload["coverage"]  # as compiled before coverage was stated
        for entry in payload["indicators"]:
            entry["base"].pop("denominator")
            entry["base"]["blank_counts_as_no"] = False
            for figure in [entry["national"], *entry["regions"].values()]:
                figure["n_blank"] = figure.pop("n_missing")
        snapshot.payload = payload
        db.session.commit()
        key = payload["indicators"][0]["key"]
    client = login_as("admin")
    for url in ("/reports/?year=2026", f"/reports/2026/indicators/{key}", "/reports/2026/regions/vidzeme-region",
                "/reports/2026/tables/table_19_inquiry_routing"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "pārklājums nav reģistrēts" in response.get_data(as_text=True), url
