"""The open-data API (``/api/v1/``, issue 12): read-only, no login, JSON and CSV, described by an OpenAPI 3.1
document generated from this package's marshmallow schemas and operation table (``spec``).

``data`` turns the published copies (``monitor.public``) and the latest approved-only report snapshot
(``monitor.reporting``) into the API's plain JSON; ``views`` serves it with ETag/Last-Modified, public caching,
CORS and the anonymous rate limit; ``schemas`` are the documented shapes.
"""
