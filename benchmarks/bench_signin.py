"""What sign-in hardening and two-step sign-in cost: prints numbers, exits 0 (see benchmarks/README.md).

With the production Argon2 profile (``RFC_9106_LOW_MEMORY``): the set-up of two-step sign-in (10 recovery codes
hashed), the worst recovery-code check (the code typed matches none of 10), a TOTP check, and a signed-in page
request (the user loader now also looks up the server-side session) against the same request before sign-in.
SQLite (temporary file), or PostgreSQL in a private schema when ``DATABASE_URL`` names one.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _median_ms(fn, runs: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.9) - 1]


def main() -> None:
    import pyotp
    from flask_migrate import upgrade
    from sqlalchemy import create_engine, text

    from monitor import create_app
    from monitor.auth.models import Role, User
    from monitor.auth.operations import create_user
    from monitor.auth.twofactor import check_second_factor, new_recovery_codes, start_enrolment, enrolment_secret
    from monitor.auth.throttle import attempt_for
    from monitor.extensions import db
    from monitor.models_base import utcnow
    from tests.conftest import test_config

    url = os.environ.get("DATABASE_URL", "")
    schema = None
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["MONITOR_INSTANCE_PATH"] = tmp
        if url.startswith("postgres"):
            from monitor.config import normalise_database_url

            url = normalise_database_url(url)
            schema = f"bench_{uuid.uuid4().hex[:8]}"
            with create_engine(url).begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            url += ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}"
        config = test_config(tmp, ARGON2_PROFILE="RFC_9106_LOW_MEMORY", SQLALCHEMY_DATABASE_URI=url or
                             f"sqlite:///{tmp}/bench.sqlite3")
        app = create_app(config)
        try:
            with app.app_context():
                upgrade(directory=str(ROOT / "migrations"))
                user = create_user(email="meter@test.lv", name="Bench", password="a bench pass phrase",
                                   role=Role.RESEARCHER)
                start_enrolment(user)
                db.session.commit()
                user_id = user.id
                print(f"database: {db.engine.dialect.name}; Argon2 profile {config['ARGON2_PROFILE']}")
                med, p90 = _median_ms(lambda: new_recovery_codes(user), 5)
                print(f"set-up: 10 recovery codes hashed      median {med:7.1f} ms  p90 {p90:7.1f} ms")
                secret = enrolment_secret(user) or ""
                user.totp_enabled_at = utcnow()
                attempt = attempt_for(user.email, "192.0.2.1")
                db.session.commit()

                def wrong_recovery() -> None:
                    check_second_factor(user, "zzzzz-zzzzz", attempt, utcnow())
                    db.session.rollback()

                med, p90 = _median_ms(wrong_recovery, 5)
                print(f"recovery code matching none of 10     median {med:7.1f} ms  p90 {p90:7.1f} ms")

                def totp() -> None:
                    user.totp_last_step = None
                    assert check_second_factor(user, pyotp.TOTP(secret).now(), attempt, utcnow()).method
                    db.session.rollback()

                med, p90 = _median_ms(totp, 50)
                print(f"TOTP code (decrypt + HMAC)            median {med:7.2f} ms  p90 {p90:7.2f} ms")
                user = db.session.get(User, user_id)
                user.totp_enabled_at = None
                user.totp_secret = None
                db.session.commit()

            client = app.test_client()
            anonymous = _median_ms(lambda: client.get("/api/v1/"), 100)
            response = client.post("/login", data={"email": "meter@test.lv", "password": "a bench pass phrase"})
            assert response.status_code == 302, response.status_code
            signed_in = _median_ms(lambda: client.get("/api/v1/"), 100)
            cookie = client.get_cookie("session").value
            with app.test_request_context(headers={"Cookie": f"session={cookie}"}):
                from flask import session

                from monitor.auth.sessions import load_session_user

                session.get("_sid")  # open the cookie session
                token = f"{user_id}:1"
                assert load_session_user(token) is not None
                loader = _median_ms(lambda: (load_session_user(token), db.session.remove()), 200)
                user_only = _median_ms(lambda: (db.session.get(User, user_id), db.session.remove()), 200)
            print(f"user loader: user row only (before)   median {user_only[0]:7.2f} ms  p90 {user_only[1]:7.2f} ms")
            print(f"user loader: user + live session row  median {loader[0]:7.2f} ms  p90 {loader[1]:7.2f} ms")
            print(f"GET /api/v1/ anonymous                median {anonymous[0]:7.2f} ms  p90 {anonymous[1]:7.2f} ms")
            print(f"GET /api/v1/ signed in (user+session) median {signed_in[0]:7.2f} ms  p90 {signed_in[1]:7.2f} ms")
        finally:
            with app.app_context():
                db.engine.dispose()
            if schema:
                with create_engine(os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://")
                                   ).begin() as conn:
                    conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


if __name__ == "__main__":
    main()
