"""``flask export benchmark`` and ``flask import history``."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from forms import definition_years
from reports.excel import WorkbookRefused

from ..auth.models import Role, User
from ..extensions import db
from ..refusals import OperationRefused
from .exporting import ExportRequest
from .operations import import_history, read_history
from .stored import build_file

CLI_MAX_BYTES = 200 * 1024 * 1024  # an administrator's own file: larger than the web page allows

export_cli = AppGroup("export", help="Research exports: the benchmark workbook and CSV.")
import_cli = AppGroup("import", help="Imports of past years' returns from a workbook.")


@export_cli.command("benchmark")
@click.option("--first", "first", type=int, required=True, help="First year.")
@click.option("--last", "last", type=int, help="Last year (default: the first).")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv"]), default="xlsx", show_default=True,
              help="An Excel workbook, or a zip of CSV files (UTF-8 with BOM) with the codebook.")
@click.option("--labels", is_flag=True, help="Choice answers as labels instead of codes.")
@click.option("--lang", type=click.Choice(["lv", "en"]), default="lv", show_default=True)
@click.option("--include-submitted", is_flag=True, help="Include submitted returns not yet approved.")
@click.option("--out", type=click.Path(dir_okay=False, writable=True, path_type=Path), required=True,
              help="The file to write ('-' for standard output).")
def export_benchmark(first: int, last: int | None, fmt: str, labels: bool, lang: str, include_submitted: bool,
                     out: Path) -> None:
    """Write the benchmark workbook (no personal data) for a year or a range of years: the stored file when it is
    current, else one built (and stored) now."""
    args = {"first": str(first), "last": str(last or first), "format": fmt, "values": "labels" if labels else "codes",
            "lang": lang}
    export, errors = ExportRequest.parse(args, definition_years())
    if export is None:
        raise click.ClickException("; ".join(f"{k}: {v}" for k, v in errors.items()))
    if include_submitted:
        export = ExportRequest(export.first, export.last, export.format, export.use_labels, export.locale,
                               ("approved", "resubmitted", "submitted"))
    stored = build_file(export, trigger="cli")  # the stored file when it is current, else built and stored now
    db.session.commit()
    if str(out) == "-":
        sys.stdout.buffer.write(stored.content)
    else:
        out.write_bytes(stored.content)
        click.echo(f"written {out}: " + ", ".join(f"{k} {v}" for k, v in stored.rows.items()), err=True)


@import_cli.command("history")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--year", type=int, required=True, help="The past year the workbook holds.")
@click.option("--actor", "actor_email", required=True, help="E-mail of the administrator doing the import.")
def import_history_command(path: Path, year: int, actor_email: str) -> None:
    """Import many municipalities' returns of a past year from one workbook (all or nothing)."""
    actor = db.session.scalar(select(User).where(User.email == actor_email.strip().lower()))
    if actor is None or actor.role != Role.ADMIN:
        raise click.ClickException(f"{actor_email} is not an administrator's account")
    try:
        parsed = read_history(path.read_bytes(), year, max_bytes=CLI_MAX_BYTES)
        outcome = import_history(year, parsed, actor, source_name=path.name)
    except (WorkbookRefused, OperationRefused) as exc:
        db.session.rollback()
        raise click.ClickException(exc.en) from exc
    for note in outcome.notes + outcome.skipped:  # pre-reform names counted as successors; other years not read
        click.echo(note.en, err=not outcome.saved)
    if not outcome.saved:
        db.session.rollback()
        for p in outcome.problems:
            where = " ".join(x for x in (p.sheet, p.cell) if x)
            click.echo(f"{where}: {p.en}" if where else p.en, err=True)
        raise click.ClickException(f"nothing was imported: {len(outcome.problems)} problem(s)")
    db.session.commit()
    click.echo(f"{year}: {outcome.created} returns created, {outcome.updated} updated, "
               f"{outcome.unchanged} unchanged ({outcome.changes} answers written)")
    click.echo(f"the file carried {outcome.answers} answers: {outcome.answers - outcome.not_kept_answers} stored or "
               f"already there, {outcome.not_kept_answers} not stored")
    for p in outcome.not_kept:
        where = " ".join(x for x in (p.sheet, p.cell) if x)
        click.echo(f"not stored: {where}: {p.en}" if where else f"not stored: {p.en}")
