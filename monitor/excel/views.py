"""Pages for Excel: the researchers' downloads, a municipality's template download and upload, and the
administrators' bulk import of a past year."""

from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
from typing import IO, Any, Callable

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import format_decimal, gettext as _, ngettext
from flask_login import current_user, login_required
from werkzeug.datastructures import FileStorage

from forms import definition_years, get_definition
from reports.excel import WorkbookRefused
from reports.excel.upload import refuse
from reports.excel.template import read_template, write_template

from ..audit.operations import record_event
from ..auth.models import Role, User
from ..extensions import db
from ..locale import current_locale
from ..models_base import utcnow
from ..periods.models import ReportingPeriod
from ..periods.queries import period_or_404
from ..refusals import OperationRefused
from ..registry.models import Municipality
from ..returns.edit import fingerprint
from ..returns.models import AnnualReturn
from ..returns.operations import last_year_plan
from ..returns.queries import find_return, may_edit, municipality_or_404
from ..returns.storage import load_answers
from .builds import ACTIVE, build_request, request_build
from .exporting import ExportRequest
from .models import ExportBuild, ExportFile
from .operations import (
    MAX_PROBLEMS, import_history, importable_years, municipality_names, read_history, upload_template,
)
from .stored import current_file

bp = Blueprint("excel", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_MAX_BYTES = 2 * 1024 * 1024
EXPORTERS = (Role.ADMIN, Role.REVIEWER, Role.RESEARCHER)
WAITING_LONG = dt.timedelta(minutes=2)  # a build still waiting after this: the scheduler may not be running


def _user() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _spool() -> IO[bytes]:
    return tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)


# ---------------------------------------------------------------------------------- researchers' downloads

def _exporter() -> User:
    user = _user()
    if user.role not in EXPORTERS:
        abort(404)
    return user


@bp.route("/exports/")
@login_required
def exports():  # type: ignore[no-untyped-def]
    """The choices; a stored file that is current is sent at once, anything else is built by the scheduler (the
    user follows it on the build's page): a workbook is never built inside a web request."""
    user = _exporter()
    years = definition_years()
    if not request.args:
        return render_template("excel/exports.html", years=years, errors={}, form={})
    export, errors = ExportRequest.parse(request.args, years)
    if errors:
        return render_template("excel/exports.html", years=years, errors=errors, form=request.args), 422
    stored = current_file(export)
    if stored is not None:
        return _send(stored, export, user)
    build = request_build(export, user)
    db.session.commit()
    return redirect(url_for(".export_build", build_id=build.id))


def _own_build(build_id: int) -> ExportBuild:
    """A build of the signed-in user (anyone else's: 404)."""
    user = _exporter()
    build = db.session.get(ExportBuild, build_id)
    if build is None or build.requested_by_id != user.id:
        abort(404)
    return build


@bp.route("/exports/builds/<int:build_id>")
@login_required
def export_build(build_id: int):  # type: ignore[no-untyped-def]
    build = _own_build(build_id)
    stored = db.session.get(ExportFile, build.file_id) if build.file_id else None
    size = format_decimal(stored.size / 1e6, "0.0") + " MB" if stored else ""
    waiting_long = build.status == "pending" and utcnow() - build.requested_at > WAITING_LONG
    return render_template("excel/export_build.html", build=build, export=build_request(build), stored=stored,
                           busy=build.status in ACTIVE, size=size, waiting_long=waiting_long)


@bp.route("/exports/builds/<int:build_id>/file")
@login_required
def export_build_file(build_id: int):  # type: ignore[no-untyped-def]
    build = _own_build(build_id)
    export = build_request(build)
    stored = db.session.get(ExportFile, build.file_id) if build.file_id else None
    if stored is None:  # not built yet, failed, or replaced by a newer file of the same choices since
        return redirect(url_for(".export_build", build_id=build.id) if build.status in ACTIVE
                        else url_for(".exports", **export.args()))
    return _send(stored, export, _user())


def _send(stored: ExportFile, export: ExportRequest, user: User):  # type: ignore[no-untyped-def]
    """Send a stored file (ETag: its SHA-256); each download is audited with the rows it holds. A browser that
    already has this very file gets 304, which is not a download."""
    if stored.sha256 in request.if_none_match:
        return current_app.response_class(status=304, headers={"ETag": f'"{stored.sha256}"'})
    content, sha256, built_at = stored.content, stored.sha256, stored.built_at  # read before the commit expires it
    record_event("workbook_exported", user, detail={
        "years": f"{export.first}-{export.last}", "format": export.format, "rows": stored.data_rows,
        "file": stored.id})
    db.session.commit()
    return send_file(io.BytesIO(content), mimetype=XLSX if export.format == "xlsx" else "application/zip",
                     as_attachment=True, download_name=export.filename(), etag=sha256, last_modified=built_at,
                     conditional=True)


# --------------------------------------------------------------------------------- municipality template

def _return_for(slug: str, year: int, *, edit: bool) -> tuple[Municipality, ReportingPeriod, AnnualReturn | None]:
    """The municipality (another one: 404), the period (only years filled in through the service: imported past
    years have none) and its return, None when not started yet: a return can be prepared in Excel from the start."""
    municipality = municipality_or_404(_user(), slug)
    period = period_or_404(year)
    if edit and not may_edit(_user(), municipality):
        abort(403)
    return municipality, period, find_return(municipality, year, for_update=edit)


@bp.route("/returns/<slug>/<int:year>/excel/template.xlsx")
@login_required
def template(slug: str, year: int):  # type: ignore[no-untyped-def]
    """The return as a workbook: its answers; for a return not yet started, an empty one, or (``?start=last_year``)
    one with last year's answers that this year asks again, as "Start from last year's answers" would copy them."""
    municipality, _period, ret = _return_for(slug, year, edit=False)
    definition = get_definition(year)
    if ret is not None:
        values, version = load_answers(ret, definition), ret.version
    else:
        plan = last_year_plan(municipality, year) if request.args.get("start") == "last_year" else None
        values, version = (plan.values if plan else {}), 0  # version 0: before the return existed
    out = _spool()
    write_template(out, definition=definition, municipality_slug=municipality.slug,
                   municipality_name=municipality.name_lv, values=values, locale=current_locale(),
                   base_version=version, generated_at=utcnow(),
                   fingerprints={f.key: fingerprint(values.get(f.key)) for f in definition.iter_fields()})
    out.seek(0)
    name = f"{municipality.slug}-{year}-{'template' if current_locale() == 'en' else 'veidne'}.xlsx"
    return send_file(out, mimetype=XLSX, as_attachment=True, download_name=name)


@bp.route("/returns/<slug>/<int:year>/excel", methods=["GET", "POST"])
@login_required
def upload(slug: str, year: int):  # type: ignore[no-untyped-def]
    municipality, period, ret = _return_for(slug, year, edit=request.method == "POST")
    context = {"municipality": municipality, "ret": ret, "year": year, "can_edit": may_edit(_user(), municipality),
               "previous_exists": ret is None and find_return(municipality, year - 1) is not None}
    if request.method == "GET":
        return render_template("excel/upload.html", **context)
    data, error = _read_file(request.files.get("file"), TEMPLATE_MAX_BYTES)
    if error:
        db.session.rollback()
        return render_template("excel/upload.html", **context, refused=error), 422
    refusal, outcome = _attempt("excel/upload.html", context, lambda: upload_template(
        municipality, period, ret, read_template(
            data, definitions=get_definition, expected_municipality=municipality.slug, expected_year=year,
            max_bytes=TEMPLATE_MAX_BYTES, unit_names=municipality_names), _user()))
    if refusal is not None:
        return refusal
    db.session.commit()
    if not outcome.not_kept:
        flash(ngettext("The file has been uploaded: %(num)d answer changed.",
                       "The file has been uploaded: %(num)d answers changed.", outcome.changes) if outcome.changes
              else _("The file has been uploaded. Nothing had changed."), "success")
    if outcome.kept_theirs:
        kept = ", ".join(label.get(current_locale()) for label in outcome.kept_theirs)
        flash(_("Meanwhile other answers were changed in the service; as your file did not change them, the newer "
                "answers were kept: %(answers)s.", answers=kept), "info")
    if outcome.not_kept:  # stored, but some answers of the file were not: list them here rather than lose them
        context.update(ret=find_return(municipality, year), previous_exists=False)  # the upload may have started it
        return render_template("excel/upload.html", **context, outcome=outcome)
    return redirect(url_for("returns.overview", slug=slug, year=year))


_UNREADABLE = refuse("unreadable")


def _attempt(page: str, context: dict[str, Any], work: Callable[[], Any]) -> tuple[Any, Any]:
    """Read a file and store it (``work``); when anything refuses it, roll back and give the page again (422) with
    the reasons: the file as a whole, or its problems by sheet and cell. Else (None, the outcome)."""
    refused, outcome = None, None
    try:
        outcome = work()
    except (WorkbookRefused, OperationRefused) as exc:
        refused = exc.text(current_locale())
    except (ArithmeticError, ValueError):  # a crafted cell value the readers did not foresee (1E999, NaN…)
        refused = _UNREADABLE.text(current_locale())
    if refused is None and outcome.saved:
        return None, outcome
    db.session.rollback()
    if refused is not None:
        return (render_template(page, **context, refused=refused), 422), None
    return (render_template(page, **context, problems=outcome.problems[:MAX_PROBLEMS],
                            problem_count=len(outcome.problems), notes=getattr(outcome, "notes", []),
                            skipped=getattr(outcome, "skipped", [])), 422), None
_SAFE_NAME = re.compile(r"[^\w.\- ]+")


def _read_file(file: FileStorage | None, limit: int) -> tuple[bytes, str | None]:
    """The uploaded bytes (at most one byte over ``limit``: the reader refuses a file that is too big), or why
    there is nothing to read: no file, not .xlsx."""
    if file is None or not file.filename:
        return b"", _("Choose the file to upload.")
    if not file.filename.lower().endswith(".xlsx"):
        return b"", _("Only Excel workbooks (.xlsx) can be uploaded. Save the file as “Excel Workbook (.xlsx)” "
                      "and try again.")
    return file.stream.read(limit + 1), None


# ---------------------------------------------------------------------------------------- bulk import

@bp.route("/admin/import", methods=["GET", "POST"])
@login_required
def history():  # type: ignore[no-untyped-def]
    if _user().role != Role.ADMIN:
        abort(404)
    years = importable_years()
    context: dict[str, Any] = {"years": years}
    if request.method == "GET":
        return render_template("excel/import.html", **context)
    limit = current_app.config["IMPORT_MAX_CONTENT_LENGTH"]  # the request itself is limited in create_app
    year = request.form.get("year", type=int)
    if year not in years:
        return render_template("excel/import.html", **context, refused=_("Choose one of the years offered.")), 422
    context["year"] = year
    file = request.files.get("file")
    data, error = _read_file(file, limit)
    if error:
        return render_template("excel/import.html", **context, refused=error), 422
    name = _SAFE_NAME.sub("", file.filename or "") if file else ""
    refusal, outcome = _attempt("excel/import.html", context, lambda: import_history(year, read_history(
        data, year, max_bytes=limit), _user(), source_name=name))
    if refusal is not None:
        return refusal
    db.session.commit()
    return render_template("excel/import.html", **context, outcome=outcome)
