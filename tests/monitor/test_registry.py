"""The registry command loads 5 regions and 43 municipalities; running it twice changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select


def test_registry_load_is_idempotent(app):
    from monitor.extensions import db
    from monitor.registry.models import Municipality, PlanningRegion

    runner = app.test_cli_runner()
    result = runner.invoke(args=["registry", "load"])
    assert result.exit_code == 0
    # the fixture loaded it already: a second (here: third) run changes nothing
    assert "regions: 0 added, 0 updated; municipalities: 0 added, 0 updated" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Municipality)) == 43
        counts = dict(db.session.execute(
            select(PlanningRegion.slug, func.count(Municipality.id)).join(Municipality).group_by(PlanningRegion.slug)
        ).all())
    assert counts == {"riga-region": 9, "vidzeme-region": 11, "kurzeme-region": 8, "zemgale-region": 6,
                      "latgale-region": 9}


def test_registry_updates_a_changed_name(app):
    from monitor.extensions import db
    from monitor.registry.models import Municipality

    with app.app_context():
        m = db.session.scalar(select(Municipality).where(Municipality.slug == "cesu-novads"))
        m.name_en = "Wrong"
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["registry", "load"])
    assert "municipalities: 0 added, 1 updated" in result.output
    with app.app_context():
        assert db.session.scalar(select(Municipality.name_en).where(Municipality.slug == "cesu-novads")) != "Wrong"


def test_project_copy_of_reference_data_matches_shared(app):
    """The service uses its own copy; it must stay the same as the shared reference."""
    import json

    from tests.conftest import ROOT, SHARED

    shared = SHARED / "reference" / "municipalities.json"
    if not shared.exists():
        import pytest

        pytest.skip("shared reference data not present beside the project")
    own = json.loads((ROOT / "monitor" / "data" / "municipalities.json").read_text(encoding="utf-8"))
    assert own == json.loads(shared.read_text(encoding="utf-8"))


def test_periods_command(app):
    result = app.test_cli_runner().invoke(args=["periods", "ensure"])
    assert result.exit_code == 0 and "reporting periods added: 0" in result.output
