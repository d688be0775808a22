"""Nothing is lost between the researchers' workbook and the history import: any valid set of past-year returns →
benchmark export → history import into an empty year → export again gives the same Data and table sheets, cell
for cell (personal data is never exported, so it is not generated either)."""

from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import delete, select

from forms import get_definition
from tests.forms.test_properties import answers_for

YEAR = 2022
SLUGS = ["cesu-novads", "liepaja", "ludzas-novads", "riga", "valkas-novads"]
README_LIKE = {"README", "Codebook", "Indicators", "Charts"}


def _wipe_year(year: int) -> None:
    """An empty year again: the year's returns and everything hanging on them."""
    from monitor.audit.models import AuditEvent
    from monitor.extensions import db
    from monitor.reporting.models import CompileRequest
    from monitor.returns.models import AnnualReturn, Answer, ChangeLog, GroupAnswer, GroupRow

    ids = list(db.session.scalars(select(AnnualReturn.id).where(AnnualReturn.year == year)))
    rows = select(GroupRow.id).where(GroupRow.return_id.in_(ids))
    db.session.execute(delete(GroupAnswer).where(GroupAnswer.row_id.in_(rows)))
    for model in (GroupRow, Answer, ChangeLog, AuditEvent):
        db.session.execute(delete(model).where(model.return_id.in_(ids)))
    db.session.execute(delete(AnnualReturn).where(AnnualReturn.id.in_(ids)))
    db.session.execute(delete(CompileRequest))
    db.session.commit()


def _export() -> bytes:
    from monitor.excel.exporting import ExportRequest, write_export

    out = io.BytesIO()
    write_export(ExportRequest(YEAR, YEAR), out)
    return out.getvalue()


def _sheets(data: bytes) -> dict[str, list[tuple]]:
    wb = load_workbook(io.BytesIO(data))
    return {ws.title: [tuple(c.value for c in row) for row in ws.iter_rows()]
            for ws in wb.worksheets if ws.title not in README_LIKE}


@settings(max_examples=10, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_export_import_export_gives_the_same_sheets(app, users, data):
    from monitor.auth.models import User
    from monitor.excel.operations import import_history
    from monitor.extensions import db
    from monitor.registry.models import Municipality
    from monitor.returns.edit import DROP, plan_edit
    from reports.excel import BulkRow, BulkUpload
    from reports.excel.bulk import read_bulk

    definition = get_definition(YEAR)
    units = data.draw(st.lists(st.sampled_from(SLUGS), min_size=1, max_size=3, unique=True))
    rows = []
    for unit in units:
        raw = {k: v for k, v in data.draw(answers_for(definition, False)).items()
               if not definition.field(k).is_personal}
        plan = plan_edit(definition, {}, raw, on_invalid=DROP)  # a valid set: what does not validate is left out
        rows.append(BulkRow(unit, YEAR, {k: plan.values[k] for k in plan.keys}, {}))

    with app.app_context():
        _wipe_year(YEAR)
        admin = db.session.get(User, users["admin"].id)
        first = import_history(YEAR, BulkUpload(rows=rows), admin)
        assert first.saved, [p.en for p in first.problems]
        db.session.commit()
        exported = _export()
        _wipe_year(YEAR)
        known = set(db.session.scalars(select(Municipality.slug)))
        again = import_history(YEAR, read_bulk(exported, definitions=get_definition, known_units=known, year=YEAR),
                               db.session.get(User, users["admin"].id))
        assert again.saved, [(p.sheet, p.cell, p.en) for p in again.problems]
        assert again.not_kept == [], [(p.sheet, p.cell, p.en) for p in again.not_kept]
        db.session.commit()
        before, after = _sheets(exported), _sheets(_export())
    assert set(before) == set(after)
    for title in before:
        assert before[title] == after[title], title
