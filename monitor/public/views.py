"""The public pages: municipality profiles, their index, "Returning to Latvia". No login.

Every page reads the published tables only (``queries``). Pages are the same for every anonymous visitor in a
language, so they may be cached by browsers and shared caches for five minutes (``Cache-Control: public``,
``Vary: Cookie`` — the language lives in the session cookie); a profile also carries a weak ``ETag`` and answers
``If-None-Match`` with 304 without rendering. For anonymous visitors these pages write no session (the language
switch posts to ``public.language``, which needs no CSRF token), so a cached response never carries a cookie.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from flask import Blueprint, Response, abort, make_response, redirect, render_template, request, session, url_for
from flask_babel import format_date
from flask_login import current_user

from ..auth.views import _safe_next
from ..clock import riga_date, riga_today
from ..extensions import csrf
from ..locale import current_locale
from . import queries
from .extract import DOCUMENTS, KIND_LABELS, KINDS, WHO, WHO_LABELS
from .links import NATIONAL_PORTALS
from .models import PublishedProfile
from .params import parse_page_query
from .search import search_measures

bp = Blueprint("public", __name__)

MAX_AGE = 300


def _cacheable(response: Response) -> Response:
    if current_user.is_authenticated:  # the header shows who is signed in: never stored (monitor.edges)
        response.headers["Cache-Control"] = "no-store"
    else:
        response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response.vary.add("Cookie")
    return response


def _page(template: str, **context: object) -> Response:
    return _cacheable(make_response(render_template(template, public_page=True, **context)))


def public_home() -> Response:
    """The start page for visitors who are not signed in (``main.home``)."""
    return _page("public/home.html")


@bp.route("/municipalities/")
def index():  # type: ignore[no-untyped-def]
    today = riga_today()
    return _page("public/index.html", regions=queries.index_by_region(),
                 current_year=queries.current_reporting_year(today), is_out_of_date=queries.is_out_of_date)


@bp.route("/municipalities/<slug>")
def profile(slug: str):  # type: ignore[no-untyped-def]
    municipality = queries.municipality_by_slug(slug)
    if municipality is None:
        abort(404)
    published = queries.latest_profile(municipality.id)
    current_year = queries.current_reporting_year(riga_today())
    out_of_date = published is not None and queries.is_out_of_date(published.year, current_year)
    etag = _etag(municipality.id, published, out_of_date)
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
        response.set_etag(etag, weak=True)
        return _cacheable(response)
    view = queries.profile_view(published) if published is not None else None
    approved_on = _date(riga_date(published.approved_at)) if published is not None else None
    response = _page("public/profile.html", municipality=municipality, published=published, view=view,
                     out_of_date=out_of_date, approved_on=approved_on, language_labels=_language_labels(),
                     kinds=KINDS, kind_labels=KIND_LABELS, who_labels=WHO_LABELS, documents=DOCUMENTS,
                     portals=NATIONAL_PORTALS)
    response.set_etag(etag, weak=True)
    return response


def _date(day: dt.date) -> str:
    # Latvian needs the locative ("2. decembrī") after "apstiprināta", which babel's long format does not give
    return day.strftime("%d.%m.%Y") if current_locale() == "lv" else format_date(day, format="long")


def _language_labels() -> dict[str, str]:
    from forms.definitions.sections_people import LANGUAGES

    return {c.code: c.label(current_locale()) for c in LANGUAGES}


def _etag(municipality_id: int, published: PublishedProfile | None, out_of_date: bool) -> str:
    """From the published copy (id and when it was written — a re-approval rewrites it), the language and the
    "may be out of date" mark (which changes with the calendar, not the copy)."""
    if published is None:
        source = f"none:{municipality_id}"
    else:
        source = f"{published.id}:{published.approved_at.isoformat()}:{published.published_at.isoformat()}"
    source += f":{current_locale()}:{int(out_of_date)}:{int(current_user.is_authenticated)}"
    return hashlib.sha256(source.encode()).hexdigest()[:32]


@bp.route("/measures")
def measures():  # type: ignore[no-untyped-def]
    """The search of support measures in force across all municipalities: a GET form, so every search is a
    shareable URL and works without JavaScript; the same ``search_measures`` as ``/api/v1/measures``."""
    query, errors = parse_page_query(request.args)
    version = queries.published_version()
    source = f"measures:{version.tag()}:{request.query_string.decode(errors='replace')}:{current_locale()}:" \
             f"{int(current_user.is_authenticated)}"
    etag = hashlib.sha256(source.encode()).hexdigest()[:32]
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
        response.set_etag(etag, weak=True)
        return _cacheable(response)
    result = search_measures(query)
    response = _page("public/measures.html", query=query, result=result, errors=errors, kinds=KINDS, who=WHO,
                     kind_labels=KIND_LABELS, who_labels=WHO_LABELS,
                     regions=queries.regions_with_municipalities())
    response.set_etag(etag, weak=True)
    return response


@bp.route("/returning")
def returning():  # type: ignore[no-untyped-def]
    return _page("public/returning.html", portals=NATIONAL_PORTALS)


@bp.route("/public/language", methods=["POST"])
@csrf.exempt  # switches the language of the visitor's own session and nothing else: no token, so no session
def language():  # type: ignore[no-untyped-def]
    chosen = request.form.get("locale")
    if chosen in ("lv", "en"):
        session["locale"] = chosen
    return redirect(_safe_next(request.form.get("next")) or url_for("public.index"))
