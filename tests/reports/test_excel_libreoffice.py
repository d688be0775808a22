"""A real spreadsheet application reads our files: the municipality template, opened and saved again by
LibreOffice Calc (headless) as a person would after filling it in, still reads back to the same answers; the
bulk-import reader reads a workbook LibreOffice saved. (The benchmark workbook's own LibreOffice check is in
test_excel_benchmark.py.)"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from forms import get_definition, validate
from reports.excel.bulk import read_bulk
from tests.reports.test_excel_template import read, template, typed_answers


def _soffice() -> str:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is missing on CI")
        pytest.skip("LibreOffice (soffice) is not installed")
    return soffice


def resave(tmp_path: Path, name: str, data: bytes) -> bytes:
    """Open ``data`` in LibreOffice Calc and save it again as .xlsx (Office Open XML)."""
    source = tmp_path / "in" / name
    source.parent.mkdir()
    source.write_bytes(data)
    done = subprocess.run(
        [_soffice(), f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--norestore",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path / "out"), str(source)],
        capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    return (tmp_path / "out" / name).read_bytes()


@pytest.mark.parametrize("locale", ["lv", "en"])
def test_template_saved_by_libreoffice_reads_back_to_the_same_answers(tmp_path, locale):
    values = typed_answers(2026, planned_measures_next_5y="=ja, tad: plāns\n- otrā rinda")
    saved = resave(tmp_path, "veidne.xlsx", template(2026, values, locale=locale))
    upload = read(saved)
    assert not upload.problems, [p.en for p in upload.problems]
    assert validate(get_definition(2026), upload.raw).values == values


def test_bulk_workbook_saved_by_libreoffice_is_read(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["municipality", "year", "state_support_sufficiency_score", "measures_5y_types"])
    ws.append(["cesu-novads", 2022, 4, "business_start_support;housing_support"])
    buf = io.BytesIO()
    wb.save(buf)
    upload = read_bulk(resave(tmp_path, "vesture.xlsx", buf.getvalue()), definitions=get_definition,
                       known_units={"cesu-novads"}, year=2022)
    assert not upload.problems, [p.en for p in upload.problems]
    values = validate(get_definition(2022), upload.rows[0].raw).values
    assert values["state_support_sufficiency_score"] == 4
    assert values["measures_5y_types"] == ["business_start_support", "housing_support"]
