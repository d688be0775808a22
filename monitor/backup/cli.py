"""``flask backup …``: make, check and restore backups of the configured database (see README, "Backups")."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from .manifest import BackupError, Manifest
from .operations import backup_dir, create_backup, prune_backups, restore_backup, verify_backup

backup_cli = AppGroup("backup", help="Back up, verify and restore the database.")


def _describe(manifest: Manifest) -> str:
    rows = sum(manifest.row_counts.values())
    return (f"made {manifest.created_at} from {manifest.engine} (schema {manifest.schema_revision}), "
            f"{len(manifest.row_counts)} tables, {rows} rows")


@backup_cli.command("create")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
              help="Directory to write to (default: MONITOR_BACKUP_DIR, else instance/backups).")
@click.option("--prune", is_flag=True, help="Then delete the backups that retention does not keep.")
def backup_create(directory: Path | None, prune: bool) -> None:
    """Write a backup file of the configured database (with a manifest and checksum)."""
    try:
        path, manifest = create_backup(directory)
        removed = prune_backups(path.parent) if prune else []
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{path} ({path.stat().st_size:,} bytes): {_describe(manifest)}")
    for name in removed:
        click.echo(f"removed {name} (retention)")


@backup_cli.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def backup_verify(file: Path) -> None:
    """Check a backup file: checksum, manifest and a readable dump."""
    try:
        manifest = verify_backup(file)
    except BackupError as exc:
        raise click.ClickException(f"{file.name}: {exc}") from exc
    click.echo(f"{file.name}: OK — {_describe(manifest)}")


@backup_cli.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before overwriting the configured database.")
def backup_restore(file: Path, yes: bool) -> None:
    """Replace the configured database by a backup (stop the web app and the scheduler first)."""
    from flask import current_app

    target = current_app.config["SQLALCHEMY_DATABASE_URI"]

    def confirm(manifest: Manifest, relation: str) -> bool:
        click.echo(f"{file.name}: {_describe(manifest)}")
        if relation == "older":
            click.echo("The backup's schema is older than this code's: run `flask db upgrade` after the restore.")
        if yes:
            return True
        from sqlalchemy.engine import make_url

        shown = make_url(target).render_as_string(hide_password=True)
        return click.confirm(f"Every table of {shown} will be replaced by the backup's content. Continue?")

    try:
        done = restore_backup(file, confirm)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    if done is None:
        raise click.ClickException("cancelled: nothing was changed")
    manifest, _relation = done
    click.echo(f"restored; the row counts of all {len(manifest.row_counts)} tables match the manifest")


@backup_cli.command("prune")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path))
def backup_prune(directory: Path | None) -> None:
    """Delete the backups that retention (7 daily, 4 weekly by default) does not keep."""
    for name in prune_backups(directory or backup_dir()):
        click.echo(f"removed {name}")
