"""The yearly comparative report as a document (issue 11): one PDF per language from the same templates, built by
the scheduler when a snapshot is compiled, served to the report readers, written by the CLI.

Building a PDF takes seconds, so each test builds as few as it can: the scheduler's two documents are read with
``pdftotext`` for the language checks, and the CLI writes the document the route stored."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.factories import complete_answers, make_return

YEAR = 2026
REGIONS_LV = ("Rīgas plānošanas reģions", "Vidzemes plānošanas reģions", "Kurzemes plānošanas reģions",
              "Zemgales plānošanas reģions", "Latgales plānošanas reģions")
LATVIAN_LETTERS = "āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ"
REGIONS_EN = ("Riga Planning Region", "Vidzeme Planning Region", "Kurzeme Planning Region",
              "Zemgale Planning Region", "Latgale Planning Region")

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="pdftotext (Debian poppler-utils) is not installed; ./dev test installs it")


def pdf_text(content: bytes, tmp_path: Path, name: str) -> str:
    """The PDF's text as ``pdftotext`` reads it, with every run of white space made one space."""
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True).stdout
    return re.sub(r"\s+", " ", out.decode("utf-8"))


def loose(text: str) -> str:
    """Text without hyphens and line breaks: pdftotext joins a word broken after its hyphen at a line end."""
    return re.sub(r"\s+", " ", text.replace("-", ""))


@pytest.fixture
def returns_in_two_regions(app, users):
    """Approved returns of Cēsu novads (Vidzeme) and Liepāja (Kurzeme) for 2026, and the reference data."""
    from monitor.extensions import db
    from monitor.reporting.operations import load_reference_data

    make_return(app, "cesu-novads", YEAR, complete_answers(), actor_id=users["editor"].id, status="approved")
    make_return(app, "liepaja", YEAR, complete_answers(), actor_id=users["editor_other"].id, status="approved")
    with app.app_context():
        load_reference_data()
        db.session.commit()


def _compile(app) -> int:
    from monitor.extensions import db
    from monitor.reporting.operations import compile_snapshot

    with app.app_context():
        snapshot, _new = compile_snapshot(YEAR)
        db.session.commit()
        return snapshot.id


@needs_pdftotext
def test_scheduler_stores_both_languages_and_each_reads_in_its_own(app, returns_in_two_regions, monkeypatch,
                                                                   tmp_path):
    from monitor.extensions import db
    from monitor.reporting.document import render_report_html
    from monitor.reporting.models import ReportDocument
    from monitor.reporting.queries import latest_snapshot
    from monitor.jobs import operations

    monkeypatch.setitem(app.config, "REPORT_DOCUMENTS_ON_COMPILE", True)
    monkeypatch.setattr(operations, "_open_years", lambda: [YEAR])
    with app.app_context():
        result = operations.compile_open_years()
        db.session.commit()
        assert result["compiled"] == [YEAR] and result["documents"] == [YEAR] and not result["documents_failed"]
        snapshot = latest_snapshot(YEAR)
        documents = {d.locale: d for d in snapshot.documents}
        assert set(documents) == {"lv", "en"}
        for document in documents.values():
            assert document.content.startswith(b"%PDF")
            assert document.sha256 == hashlib.sha256(document.content).hexdigest()
            assert document.size == len(document.content) and document.pages >= 10 and document.build_ms > 0
        lv = pdf_text(documents["lv"].content, tmp_path, "lv")
        en = pdf_text(documents["en"].content, tmp_path, "en")
        en_pages = documents["en"].pages
        caveat = snapshot.payload["caveats"][0]
        html_letters = set(re.sub(r"<[^>]+>", " ", render_report_html(snapshot, "lv"))) & set(LATVIAN_LETTERS)
        assert caveat["key"] == "reform_2021"
        # a second run with the same inputs compiles nothing and builds nothing
        again = operations.compile_open_years()
        db.session.commit()
        assert again["unchanged"] == [YEAR] and again["documents"] == []
        assert db.session.scalar(select(func.count()).select_from(ReportDocument)) == 2

    # Latvian: title, contents, coverage, the chapters, the five annexes, the reform caveat, the letters intact
    assert "Salīdzinošais ziņojums 2026" in lv or "Salīdzinošais pārskats 2026" in lv
    for heading in ("Saturs", "Pārklājums", "Galvenās izmaiņas", "Rādītāji pa sadaļām", "Pētījuma tabulas",
                    "Metodes un avoti", "Pielikumi: plānošanas reģioni"):
        assert heading in lv, heading
    assert "Pārklājums: ieskaitītas 2 no 43 pašvaldībām" in lv
    for n, region in enumerate(REGIONS_LV, start=1):
        assert f"{n}. pielikums. {region}" in lv, region
    assert loose(caveat["lv"]) in loose(lv)
    assert "Cēsu novads" in lv and "Liepāja" in lv
    # every Latvian letter the document says comes out as itself (a font with the glyph, the mapping kept)
    assert len(html_letters) >= 15 and html_letters <= set(lv), html_letters - set(lv)
    assert "\ufffd" not in lv and "Coverage" not in lv and "Key changes" not in lv and "Annex 1." not in lv

    # English: the same document in English, and none of the Latvian headings
    for heading in ("Contents", "Coverage", "Key changes", "Indicators by section", "The study's tables",
                    "Methods and sources", "Annexes: planning regions"):
        assert heading in en, heading
    assert "Coverage: 2 of 43 municipalities counted" in en
    for n, region in enumerate(REGIONS_EN, start=1):
        assert f"Annex {n}. {region}" in en, region
    assert loose(caveat["en"]) in loose(en)
    assert "Pārklājums" not in en and "Saturs" not in en and "pielikums" not in en
    # the contents give page numbers (CSS target-counter) and the footer counts the pages
    assert re.search(r"Coverage \.{5,} ?\d+", en)
    assert re.search(rf"\b\d+ / {en_pages}\b", en)


def test_a_pdf_failure_keeps_the_snapshot_and_is_in_the_job_result(app, returns_in_two_regions, monkeypatch):
    from monitor.extensions import db
    from monitor.reporting import document
    from monitor.reporting.models import ReportDocument
    from monitor.reporting.queries import latest_snapshot
    from monitor.jobs import operations

    def broken(snapshot, locales=document.LOCALES):
        raise RuntimeError("no fonts today")

    monkeypatch.setitem(app.config, "REPORT_DOCUMENTS_ON_COMPILE", True)
    monkeypatch.setattr(operations, "_open_years", lambda: [YEAR])
    monkeypatch.setattr(document, "build_documents", broken)
    with app.app_context():
        result = operations.compile_open_years()
        db.session.commit()
        assert result["compiled"] == [YEAR] and not result["failed"]
        assert result["documents"] == [] and "no fonts today" in result["documents_failed"][str(YEAR)]
        assert latest_snapshot(YEAR) is not None
        assert db.session.scalar(select(func.count()).select_from(ReportDocument)) == 0
        # the next run keeps trying for the latest snapshot without documents, and compiles nothing new
        again = operations.compile_open_years()
        assert again["unchanged"] == [YEAR] and str(YEAR) in again["documents_failed"]


def test_route_builds_stores_and_serves_the_pdf_and_the_cli_writes_it(app, users, login_as, returns_in_two_regions,
                                                                       tmp_path):
    from monitor.extensions import db
    from monitor.reporting.models import ReportDocument

    snapshot_id = _compile(app)
    researcher = login_as("researcher")
    landing = researcher.get(f"/reports/?year={YEAR}").get_data(as_text=True)
    assert f"/reports/{YEAR}/report-lv.pdf?snapshot={snapshot_id}" in landing
    assert f"/reports/{YEAR}/report-en.pdf?snapshot={snapshot_id}" in landing

    assert login_as("editor").get(f"/reports/{YEAR}/report-en.pdf").status_code == 404
    assert researcher.get(f"/reports/{YEAR}/report-de.pdf").status_code == 404
    assert researcher.get(f"/reports/{YEAR}/report-en.pdf?snapshot={snapshot_id + 99}").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ReportDocument)) == 0

    response = researcher.get(f"/reports/{YEAR}/report-en.pdf")  # none stored yet: built, stored, served
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="remigration-report-{YEAR}-en.pdf"'
    body = response.get_data()
    assert body.startswith(b"%PDF") and int(response.headers["Content-Length"]) == len(body)
    with app.app_context():
        stored = db.session.scalars(select(ReportDocument)).all()
        assert [(d.snapshot_id, d.locale) for d in stored] == [(snapshot_id, "en")]
        assert stored[0].content == body
    again = researcher.get(f"/reports/{YEAR}/report-en.pdf?snapshot={snapshot_id}")  # served from the store
    assert again.status_code == 200 and again.get_data() == body
    reviewer = login_as("reviewer")  # every role that reads the report pages gets the document
    assert reviewer.get(f"/reports/{YEAR}/report-en.pdf?snapshot={snapshot_id}").get_data() == body

    out = tmp_path / "report.pdf"
    result = app.test_cli_runner().invoke(args=["reports", "pdf", str(YEAR), "--lang", "en", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == body and out.read_bytes().startswith(b"%PDF") and "built now" not in result.output
    missing = app.test_cli_runner().invoke(args=["reports", "pdf", "2024", "--out", str(tmp_path / "x.pdf")])
    assert missing.exit_code != 0 and "no compiled report for 2024" in missing.output


def test_html_follows_the_language_numbers_and_charts_included(app, returns_in_two_regions):
    """The HTML the PDF is made from (no WeasyPrint): decimal comma in Latvian, a chart with its style inside, the
    contents linking every chapter and annex, and no resource outside the document."""
    from monitor.extensions import db
    from monitor.reporting.document import render_report_html
    from monitor.reporting.models import ReportSnapshot

    snapshot_id = _compile(app)
    with app.app_context():
        snapshot = db.session.get(ReportSnapshot, snapshot_id)
        lv = render_report_html(snapshot, "lv")
        en = render_report_html(snapshot, "en")
    assert '<html lang="lv">' in lv and '<html lang="en">' in en
    for html in (lv, en):
        assert html.count("<svg") >= 10 and "<style>" in html and "&lt;style&gt;" not in html
        for anchor in ("coverage", "key-changes", "indicators", "tables", "methods", "annex-riga-region",
                       "annex-latgale-region"):
            assert f'href="#{anchor}"' in html and f'id="{anchor}"' in html, anchor
        assert not re.search(r'(?:src|href)="(?:https?:)?//', html)
    assert "14,3 %" in lv and "14.3 %" in en  # 6 of 42 in the 2022 survey, as a share


def test_the_pdf_loads_nothing_but_data_urls_and_its_own_stylesheet():
    from monitor.reporting.document import PRINT_CSS, STATIC, _fetcher

    fetcher = _fetcher()
    css = fetcher.fetch((STATIC / PRINT_CSS).as_uri())
    assert b"@page" in css.read()
    assert fetcher.fetch("data:text/plain;base64,SGk=").read() == b"Hi"
    for url in ("http://127.0.0.1/x.png", "https://example.org/font.woff", "file:///etc/passwd",
                (STATIC / "site.css").as_uri(), (STATIC / ".." / "static" / PRINT_CSS).as_uri() + "/../../config.py"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
