"""The open-data API (issue 12, part 4): the generated OpenAPI 3.1 document is valid and every path in it answers
as it says; JSON errors under /api/; caching, CORS and the anonymous rate limit; no unpublished personal data and
no count of people below 3 in any response."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_spec

from tests.factories import answers_2027
from tests.monitor.test_public_profiles import _act, _approved  # noqa: F401  (helpers of the profiles)
from tests.monitor.test_public_search import grants

#: personal data that must never leave the service: a contact without the publish answer, the respondent, a
#: contact of a form version that never asked (is_public only)
SECRETS = ("Pēteris Slepenais", "peteris.s@cesis.lv", "29 333 444", "Rūta Respondente", "ruta.r@cesis.lv",
           "Anna Vecāka", "anna.v@liepaja.lv", "26 555 666")


@pytest.fixture
def open_data(app, users):
    """Cēsu novads 2027 and Liepāja 2026 approved (Liepāja with 2 returnees), a draft, and the reports of 2026
    and 2027 compiled from approved returns."""
    from monitor.extensions import db
    from monitor.reporting.operations import compile_snapshot, load_reference_data

    cesis = answers_2027() | {"respondent_name": "Rūta Respondente", "respondent_email": "ruta.r@cesis.lv"}
    _approved(app, users, "cesu-novads", 2027, cesis)
    liepaja = grants(2026, ("Māja jaunai ģimenei", "remigrants_only", "15000"))
    liepaja["contact_persons"] = [{"name": "Anna Vecāka", "position": "Speciāliste", "fte_share": "0,5",
                                   "email": "anna.v@liepaja.lv", "phone": "+371 26 555 666", "is_public": "yes"}]
    liepaja |= {"respondent_name": "Rūta Respondente", "respondent_email": "ruta.r@cesis.lv",
                "returnees_persons": 2, "returnees_families": 1, "returnees_children": 0}
    _approved(app, users, "liepaja", 2026, liepaja)
    with app.app_context():
        load_reference_data()
        compile_snapshot(2026)
        compile_snapshot(2027)
        db.session.commit()
    return users


@pytest.fixture
def spec(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def _validator(spec, schema):
    return Draft202012Validator({**schema, "components": spec["components"]},
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def _response_schema(spec, path, status, media="application/json"):
    return spec["paths"][path]["get"]["responses"][str(status)]["content"][media]["schema"]


def _check(spec, path, response, status=200):
    assert response.status_code == status, (path, response.status_code, response.get_data(as_text=True)[:300])
    content = spec["paths"][path]["get"]["responses"][str(status)].get("content", {})
    if response.mimetype == "application/json":
        schema = content["application/json"]["schema"]
        errors = sorted(_validator(spec, schema).iter_errors(response.get_json()), key=str)
        assert not errors, (path, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]])
    else:
        assert response.mimetype in content, (path, response.mimetype)


def _url(path, op, with_examples):
    url = path
    query = {}
    for p in op["parameters"]:
        example = p.get("example", p.get("schema", {}).get("example"))
        if p["in"] == "path":
            url = url.replace("{" + p["name"] + "}", str(example))
        elif with_examples and example is not None:
            query[p["name"]] = example
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


# ------------------------------------------------------------------------------------- the document

def test_the_openapi_document_is_valid_3_1_and_generated(spec):
    validate_spec(spec)
    assert spec["openapi"] == "3.1.0"
    assert set(spec["paths"]) == {"/api/v1/", "/api/v1/openapi.json", "/api/v1/municipalities",
                                  "/api/v1/municipalities/{slug}", "/api/v1/measures", "/api/v1/indicators",
                                  "/api/v1/coverage", "/api/reports/{year}"}
    report = spec["paths"]["/api/reports/{year}"]["get"]
    assert report["security"] == [{"session": []}] and "session" in spec["components"]["securitySchemes"]
    names = {p["name"] for p in spec["paths"]["/api/v1/measures"]["get"]["parameters"]}
    assert names == {"q", "kind", "who", "region", "municipality", "amount_min", "amount_max", "page", "per_page",
                     "format"}
    assert spec["info"]["license"]["name"] == "CC BY 4.0" and "2021" in spec["info"]["description"]


def test_every_path_answers_as_documented(app, client, login_as, spec, open_data):
    researcher = login_as("researcher")
    walked = 0
    for path, item in spec["paths"].items():
        op = item["get"]
        caller = researcher if op.get("security") else client
        for with_examples in (False, True):
            url = _url(path, op, with_examples)
            _check(spec, path, caller.get(url))
            walked += 1
        if "text/csv" in op["responses"]["200"]["content"]:
            url = _url(path, op, False)
            response = caller.get(url + ("&" if "?" in url else "?") + "format=csv")
            _check(spec, path, response)
            assert response.get_data(as_text=True).startswith("\ufeff")
        if op.get("security"):
            _check(spec, path, client.get(_url(path, op, False)), 401)  # no session: JSON 401, no redirect
    assert walked == 2 * len(spec["paths"])


def test_the_documentation_page_in_both_languages(client, spec):
    page = client.get("/api/v1/").get_data(as_text=True)
    assert "Atvērtie dati (API)" in page and "CC BY 4.0" in page and "2021" in page
    for path in spec["paths"]:
        assert f"GET {path}" in page
    client.post("/public/language", data={"locale": "en"})
    page = client.get("/api/v1/").get_data(as_text=True)
    assert "Open data (API)" in page and "Licence and caveats" in page and "approved" in page


# ----------------------------------------------------------------------------------------- the data

def test_measures_use_the_search_and_its_filters(client, open_data):
    body = client.get("/api/v1/measures?q=MAJA&who=remigrants_only").get_json()
    assert [m["title"]["lv"] for m in body["items"]] == ["Māja jaunai ģimenei"]
    m = body["items"][0]
    assert (m["kind"], m["who"], m["amount_max_eur"], m["municipality"]["slug"], m["region"]["slug"]) == (
        "business_grants", "remigrants_only", "15000.00", "liepaja", "kurzeme-region")
    assert m["municipality"]["profile_url"].endswith("/municipalities/liepaja")
    paged = client.get("/api/v1/measures?per_page=2").get_json()
    assert paged["per_page"] == 2 and paged["pages"] == -(-paged["total"] // 2) and "page=2" in paged["next"]
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/measures?format=csv&per_page=1")
                                           .get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == paged["total"]  # CSV: every match
    assert client.get("/api/v1/measures?q=melnraksta").get_json()["total"] == 0


def test_municipalities_publish_only_what_profiles_show(client, open_data):
    body = client.get("/api/v1/municipalities").get_json()
    assert body["count"] == 43
    cesis = client.get("/api/v1/municipalities/cesu-novads").get_json()
    assert [c["name"] for c in cesis["profile"]["contacts"]] == ["Ilze Bērziņa"]
    assert cesis["profile"]["year"] == 2027
    assert client.get("/api/v1/municipalities/liepaja").get_json()["profile"]["contacts"] == []
    assert client.get("/api/v1/municipalities/adazu-novads").get_json()["profile"] is None


def _all_responses(client, spec):
    """Every public API response body (JSON decoded without escapes, and CSV), with examples and without."""
    out = []
    for path, item in spec["paths"].items():
        op = item["get"]
        if op.get("security"):
            continue
        urls = [_url(path, op, False), _url(path, op, True)]
        urls += [u + ("&" if "?" in u else "?") + "format=csv" for u in urls
                 if "text/csv" in op["responses"]["200"]["content"]]
        urls += [path.replace("{slug}", "liepaja"), "/api/v1/measures?per_page=500", "/api/v1/indicators?year=2026",
                 "/api/v1/indicators?year=2027", "/api/v1/indicators?year=2026&format=csv",
                 "/api/v1/coverage?year=2026"]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            text = json.dumps(response.get_json(), ensure_ascii=False) if response.is_json else \
                response.get_data(as_text=True)
            out.append((url, text))
    return out


def test_no_unpublished_personal_data_in_any_response(client, spec, open_data):
    responses = _all_responses(client, spec)
    assert any("Ilze Bērziņa" in text for _url, text in responses)  # the published contact is there
    for url, text in responses:
        leaked = [s for s in SECRETS if s in text]
        assert not leaked, (url, leaked)


def test_people_counts_below_3_never_appear(client, spec, open_data):
    body = client.get("/api/v1/indicators?year=2026").get_json()
    people = [i for i in body["indicators"] if i["unit"] == "persons"]
    assert {i["key"] for i in people} >= {"returnees_persons.sum", "returnees_families.sum"}
    returnees = next(i for i in people if i["key"] == "returnees_persons.sum")
    assert returnees["values"]["national"] == {**returnees["values"]["national"], "value": None, "suppressed": True,
                                                "suppressed_reason": "fewer_than_3"}
    assert returnees["values"]["national"]["n"] == 1  # the base is still given
    assert returnees["values"]["kurzeme-region"]["suppressed"]
    for item in people:
        for area, value in item["values"].items():
            assert value["value"] is None or Decimal(str(value["value"])) not in (1, 2), (item["key"], area)
    rows = csv.DictReader(io.StringIO(client.get("/api/v1/indicators?year=2026&format=csv").get_data(as_text=True)
                                      .lstrip("\ufeff")))
    for row in rows:
        if row["unit"] == "persons":
            assert row["value"] == "" or Decimal(row["value"]) not in (1, 2), row
    # a larger count is given (Cēsu novads: 25 returnees in 2027)
    later = client.get("/api/v1/indicators?year=2027&area=national").get_json()
    value = next(i for i in later["indicators"] if i["key"] == "returnees_persons.sum")["values"]
    assert list(value) == ["national"] and value["national"]["value"] == "25"


def test_the_api_and_the_public_pages_withhold_by_one_rule():
    from monitor.api.data import indicator_value
    from monitor.public.disclosure import public_value

    for value in ("0", "1", "2", "3", "27", None):
        figure = {"value": value, "n": 1 if value is not None else 0}
        got = indicator_value("persons", figure)
        assert (got["value"], got["suppressed"]) == public_value({"unit": "persons"}, figure)
    assert indicator_value("persons", {"value": "0", "n": 4})["value"] == "0"  # nobody: no person to recognise
    assert indicator_value("percent", {"value": "1", "n": 4})["value"] == "1"  # not a count of people


def test_coverage(client, open_data):
    body = client.get("/api/v1/coverage?year=2026").get_json()
    assert (body["national"]["expected"], body["national"]["counted"]) == (43, 1)
    assert "cesu-novads" in body["national"]["missing"] and body["regions"]["kurzeme-region"]["counted"] == 1
    assert client.get("/api/v1/coverage").get_json()["snapshot"]["year"] == 2027  # the newest by default


# ------------------------------------------------------------------------------------------ errors

def _error(response, status):
    assert response.status_code == status and response.mimetype == "application/json", response.status_code
    body = response.get_json()
    assert body["error"]["status"] == status and body["error"]["code"] and body["error"]["message"]
    return body["error"]


def test_errors_under_api_are_json(app, client, login_as, spec, monkeypatch):
    validator = _validator(spec, {"$ref": "#/components/schemas/Error"})
    errors = [
        _error(client.get("/api/v1/nothing-here"), 404),
        _error(client.get("/api/v1/municipalities/atlantida"), 404),
        _error(client.get("/api/v1/indicators?year=2040"), 404),
        _error(client.get("/api/reports/2026"), 401),
        _error(login_as("researcher").get("/api/reports/2040"), 404),
        _error(client.post("/api/v1/measures"), 405),
    ]
    bad = _error(client.get("/api/v1/measures?kind=castles&amount_min=-1&page=0"), 400)
    assert set(bad["details"]) == {"kind", "amount_min", "page"}
    bad_range = _error(client.get("/api/v1/measures?amount_min=10&amount_max=5"), 400)
    assert "amount_max" in bad_range["details"]

    import monitor.api.data as data

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(data, "municipalities", broken)
    crashed = _error(client.get("/api/v1/municipalities"), 500)
    assert "boom" not in json.dumps(crashed)
    for error in [*errors, bad, bad_range, crashed]:
        assert not list(validator.iter_errors({"error": error}))
    assert client.get("/municipalities/atlantida").mimetype == "text/html"  # pages keep their HTML errors
    assert client.get("/reports/").status_code == 302  # and the login redirect


def test_etag_and_304(client, open_data):
    for url in ("/api/v1/measures?q=maja", "/api/v1/municipalities", "/api/v1/municipalities/cesu-novads",
                "/api/v1/indicators?year=2026", "/api/v1/coverage", "/api/v1/openapi.json"):
        first = client.get(url)
        assert first.headers["Cache-Control"] == "public, max-age=300" and first.headers["ETag"], url
        assert url.endswith("openapi.json") or first.headers["Last-Modified"]
        again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.get_data() == b"", url
    assert client.get("/api/v1/measures?q=cesis").headers["ETag"] != client.get("/api/v1/measures?q=maja") \
        .headers["ETag"]


def test_etag_changes_when_a_return_is_approved_again(app, client, users, open_data):
    from sqlalchemy import select

    from monitor.extensions import db
    from monitor.returns.models import AnnualReturn

    etag = client.get("/api/v1/measures").headers["ETag"]
    with app.app_context():
        rid = db.session.scalar(select(AnnualReturn.id).where(AnnualReturn.year == 2026))
    _act(app, rid, users["admin"].id, "reopen")
    assert client.get("/api/v1/measures").headers["ETag"] == etag  # reopening publishes nothing
    _act(app, rid, users["admin"].id, "submit", "approve")
    response = client.get("/api/v1/measures", headers={"If-None-Match": etag})
    assert response.status_code == 200 and response.headers["ETag"] != etag


def test_cors_on_get_without_credentials(client):
    response = client.get("/api/v1/measures", headers={"Origin": "https://data.example.org"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    preflight = client.options("/api/v1/measures", headers={
        "Origin": "https://data.example.org", "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 200 and preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Origin" not in client.get("/api/reports/2026").headers  # the session API: none


def test_anonymous_rate_limit_answers_429_json_with_retry_after(app, client, login_as):
    from monitor.extensions import limiter

    app.config["API_RATE_LIMIT"] = "3 per minute"
    try:
        limiter.reset()
        for _ in range(3):
            assert client.get("/api/v1/measures").status_code == 200
        response = client.get("/api/v1/municipalities")  # one budget for the whole API
        error = _error(response, 429)
        assert int(response.headers["Retry-After"]) > 0 and "Retry-After" in error["message"]
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        researcher = login_as("researcher")  # signed-in users are not limited
        assert all(researcher.get("/api/v1/measures").status_code == 200 for _ in range(5))
    finally:
        app.config["API_RATE_LIMIT"] = "100000 per minute"
        limiter.reset()


def test_every_string_of_the_api_page_has_a_latvian_translation():
    from pathlib import Path

    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parents[2]
    with (root / "monitor/translations/lv/LC_MESSAGES/messages.po").open("rb") as fp:
        catalog = read_po(fp, locale="lv")
    found = {m if isinstance(m, str) else m[0] for _f, _l, m, _c, _x in
             extract_from_dir(root / "monitor/templates/api", method_map=[("**.html", "jinja2")])}
    assert len(found) > 20
    assert not [m for m in found if not (catalog.get(m) and catalog.get(m).string)]
