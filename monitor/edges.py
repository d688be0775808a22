"""HTTP edges shared by every page: whole numbers in URLs within the database's range, ``Cache-Control`` for
everything that is not explicitly public, and ``/health``.

- ``<int:…>`` in every route accepts at most ``URL_INT_MAX`` (the largest ``Integer`` column value): a 30-digit
  id is "not found" (404) instead of an overflow in the database driver (500).
- A response that does not declare itself ``public`` (the public pages for anonymous visitors, the open-data API,
  static files) gets ``Cache-Control: no-store``: signed-in pages, the researchers' API, forms and errors are
  never kept by a browser or proxy.
- ``/health``: ``SELECT 1`` on the database; ``{"status", "database"}`` with 200 or 503. It loads no user and
  writes no session, and is exempt from HTTPS redirection (a load balancer probes it over plain HTTP).
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from sqlalchemy import text
from werkzeug.routing import IntegerConverter

from .extensions import db, talisman

URL_INT_MAX = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    """``<int:…>`` with an upper bound (``<int(max=…):…>`` still narrows it)."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None,  # type: ignore[no-untyped-def]
                 max: int | None = None, signed: bool = False) -> None:
        super().__init__(map, fixed_digits, min, URL_INT_MAX if max is None else max, signed)


def use_bounded_int_converter(app: Flask) -> None:
    """Before any route is registered (a rule picks its converter when it is added)."""
    app.url_map.converters["int"] = BoundedIntConverter


def _no_store_unless_public(response: Response) -> Response:
    if request.endpoint != "static" and not response.cache_control.public:
        response.headers["Cache-Control"] = "no-store"
    return response


bp = Blueprint("health", __name__)


@bp.route("/health")
@talisman(force_https=False)
def health():  # type: ignore[no-untyped-def]
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        database = "ok"
    except Exception:  # noqa: BLE001 - whatever the driver raises, the answer is "unavailable"
        current_app.logger.warning("health: the database does not answer", exc_info=True)
        database = "unavailable"
    response = jsonify({"status": "ok" if database == "ok" else "unavailable", "database": database})
    response.status_code = 200 if database == "ok" else 503
    return response


def init_edges(app: Flask) -> None:
    app.after_request(_no_store_unless_public)
    app.register_blueprint(bp)
