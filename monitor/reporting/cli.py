"""``flask reference load`` and ``flask reports compile``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from ..extensions import db
from .operations import DEFAULT_STATUSES, compile_snapshot, load_reference_data

reference_cli = AppGroup("reference", help="Reference data: the 2017 BISS baseline and the 2022 survey figures.")
reports_cli = AppGroup("reports", help="Comparative reports.")


@reference_cli.command("load")
def reference_load() -> None:
    """Load the reference figures as versioned datasets (running it twice changes nothing)."""
    result = load_reference_data()
    db.session.commit()
    for key, (version, added) in result.items():
        click.echo(f"{key}: version {version} ({'added' if added else 'unchanged'})")


@reports_cli.command("compile")
@click.option("--year", type=int, required=True, help="Reporting year.")
@click.option("--out", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write the report as JSON to this file ('-' for standard output).")
@click.option("--include-submitted", is_flag=True,
              help="Count submitted (not yet approved) returns too; by default only approved ones count.")
def reports_compile(year: int, out: Path | None, include_submitted: bool) -> None:
    """Compile the year's comparative report, store it as a snapshot, and optionally write its JSON."""
    statuses = DEFAULT_STATUSES | ({"submitted", "resubmitted"} if include_submitted else set())
    try:
        snapshot, new = compile_snapshot(year, trigger="cli", statuses=frozenset(statuses))
    except KeyError as exc:
        raise click.ClickException(f"there is no return definition for {year}") from exc
    db.session.commit()
    text = json.dumps(snapshot.payload, ensure_ascii=False, indent=2, sort_keys=True)
    if out is not None and str(out) == "-":
        sys.stdout.write(text + "\n")
    elif out is not None:
        out.write_text(text + "\n", encoding="utf-8")
    if out is None or str(out) != "-":
        click.echo(f"report {year}: snapshot {snapshot.id} ({'new' if new else 'unchanged inputs, reused'}), "
                   f"fingerprint {snapshot.inputs_fingerprint[:12]}" + (f", written to {out}" if out else ""))


@reports_cli.command("pdf")
@click.argument("year", type=int)
@click.option("--lang", "locale", type=click.Choice(["lv", "en"]), default="lv", show_default=True,
              help="Language of the document.")
@click.option("--snapshot", "snapshot_id", type=int, help="A given compilation of the year (default: the latest).")
@click.option("--out", type=click.Path(dir_okay=False, writable=True, path_type=Path), required=True,
              help="Write the PDF to this file.")
def reports_pdf(year: int, locale: str, snapshot_id: int | None, out: Path) -> None:
    """Write the year's report as a PDF: the stored document of the snapshot, built and stored first if it has
    none."""
    from .document import stored_document
    from .models import ReportSnapshot
    from .queries import latest_snapshot

    snapshot = db.session.get(ReportSnapshot, snapshot_id) if snapshot_id is not None else latest_snapshot(year)
    if snapshot is None or snapshot.year != year:
        raise click.ClickException(f"there is no compiled report for {year}"
                                   + (f" with snapshot {snapshot_id}" if snapshot_id is not None else "")
                                   + " (flask reports compile --year YEAR)")
    built = not any(d.locale == locale for d in snapshot.documents)
    document = stored_document(snapshot, locale)
    db.session.commit()
    out.write_bytes(document.content)
    click.echo(f"report {year} ({locale}), snapshot {snapshot.id}: {document.pages} pages, {document.size} bytes"
               f"{' (built now)' if built else ''}, written to {out}")
