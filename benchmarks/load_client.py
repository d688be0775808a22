"""The simulated users of ``load_mixed.py``: threads with one persistent ``http.client`` connection and their own
cookie jar each, signed in through the login form like a browser (CSRF token from the page).

- **editors** open their own municipality's section page, think, post it back with one answer changed (a text or
  number field that only this editor changes, a new value every time), follow the redirect;
- **reviewers** open the review desk, the completeness dashboard and a return of their region;
- **researchers** open the reports index, a report page from its links, the public figures and a figures page.

Every request is recorded (start, duration, type, status or ``timeout``/``connection``); every save with the value
it sent and how it was answered, so that ``load_mixed.py`` can check the database afterwards.
"""

from __future__ import annotations

import html
import http.client
import random
import re
import select
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from bench_return_form import form_fields
from load_setup import OPEN_YEAR, PASSWORD, Account

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
TAG = re.compile(r"<[^>]+>")


@dataclass
class Save:
    """One POST of a section by an editor: what it sent and how it was answered."""
    email: str
    user_id: int
    slug: str
    field: str
    value: Any
    seq: int
    outcome: str  # "ack" (a redirect: saved), "status 409", "status 500", "timeout", "connection", ...
    claim: str = ""  # what an error page said: "saved", "not saved", "" (nothing either way / no page)


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    text: str


@dataclass
class Context:
    """What all users share: where the server is, how long to think, the stop signal and the records."""
    port: int
    timeout: float
    think: tuple[float, float]
    stop: threading.Event = field(default_factory=threading.Event)
    requests: list[tuple[float, float, str, str]] = field(default_factory=list)  # (start, ms, type, outcome)
    saves: list[Save] = field(default_factory=list)
    error_pages: Counter[tuple[str, str, str, str]] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)
    reconnects: int = 0
    reuse_idle: float = 1.0  # seconds a connection may be idle and still be reused

    def think_time(self, rng: random.Random) -> None:
        self.stop.wait(rng.uniform(*self.think))


def page_summary(response: Response) -> tuple[str, str]:
    """(the page's h1, what it says about saving) of an error page."""
    match = H1.search(response.text)
    title = html.unescape(TAG.sub("", match.group(1))).strip() if match else response.text[:60].strip()
    text = response.text
    if "flash-success" in text or "ir saglabāts" in text or "was saved" in text.replace("Nothing was saved", ""):
        claim = "saved"
    elif "netika saglabāts" in text or "Nothing was saved" in text:
        claim = "not saved"
    else:
        claim = ""
    return title, claim


class Client:
    """One user's browser: a keep-alive connection (reopened when the server has closed it) and a cookie jar."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.conn: http.client.HTTPConnection | None = None
        self.cookies: dict[str, str] = {}
        self.last_used = 0.0

    def _connection(self) -> http.client.HTTPConnection:
        if self.conn is not None and time.monotonic() - self.last_used > self.ctx.reuse_idle:
            # like a browser, never send on a connection the server may be closing right now (gunicorn's
            # keep-alive is 2 s): such a request would fail without the server having seen it
            self.close()
        if self.conn is not None and self.conn.sock is not None:
            readable, _, _ = select.select([self.conn.sock], [], [], 0)
            if readable:  # the server closed the idle connection (keep-alive timeout, worker restart)
                self.close()
                with self.ctx.lock:
                    self.ctx.reconnects += 1
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.ctx.port, timeout=self.ctx.timeout)
        return self.conn

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.conn = None

    def request(self, label: str, method: str, path: str,
                form: list[tuple[str, str]] | None = None) -> Response | None:
        """The response, or None after a timeout or a connection error (both recorded)."""
        headers = {"Host": f"127.0.0.1:{self.ctx.port}", "User-Agent": "load_mixed"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.time()
        t0 = time.perf_counter()
        outcome: str
        response: Response | None = None
        try:
            conn = self._connection()
            conn.request(method, path, body, headers)
            raw = conn.getresponse()
            data = raw.read()
            response = Response(raw.status, raw.headers, data.decode("utf-8", "replace"))
            outcome = str(raw.status)
            if raw.will_close:
                self.close()
        except (socket.timeout, TimeoutError):
            outcome = "timeout"
            self.close()
        except (OSError, http.client.HTTPException) as exc:
            outcome = f"connection ({type(exc).__name__})"
            self.close()
        elapsed = (time.perf_counter() - t0) * 1000
        self.last_used = time.monotonic()
        with self.ctx.lock:
            self.ctx.requests.append((start, elapsed, label, outcome))
        if response is not None:
            self._keep_cookies(response)
            if response.status >= 500:
                title, claim = page_summary(response)
                with self.ctx.lock:
                    self.ctx.error_pages[(label, str(response.status), title[:70], claim +
                                          (" · Retry-After " + response.headers["Retry-After"]
                                           if response.headers.get("Retry-After") else ""))] += 1
        return response

    def _keep_cookies(self, response: Response) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            pair, _, attributes = header.partition(";")
            name, _, value = pair.strip().partition("=")
            attributes = attributes.lower()
            if "max-age=0" in attributes or "expires=thu, 01 jan 1970" in attributes:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value

    def get(self, label: str, path: str) -> Response | None:
        return self.request(label, "GET", path)


# ------------------------------------------------------------------------------------------------------ users

class User(threading.Thread):
    def __init__(self, account: Account, ctx: Context, number: int, seed: int) -> None:
        super().__init__(daemon=True, name=account.email)
        self.account, self.ctx, self.number = account, ctx, number
        self.rng = random.Random(seed * 100003 + number)
        self.client = Client(ctx)
        self.signed_in = threading.Event()
        self.login_failed = False
        self.seq = 0

    def run(self) -> None:
        try:
            if not self.login():
                self.login_failed = True
                return
            self.signed_in.set()
            while not self.ctx.stop.is_set():
                getattr(self, f"step_{self.account.role}")()
        finally:
            self.signed_in.set()
            self.client.close()

    def login(self) -> bool:
        for _attempt in range(5):
            page = self.client.get("login page", "/login")
            token = CSRF.search(page.text) if page is not None and page.status == 200 else None
            if token:
                answer = self.client.request("login", "POST", "/login", [
                    ("csrf_token", html.unescape(token.group(1))), ("email", self.account.email),
                    ("password", PASSWORD)])
                if answer is not None and answer.status == 302 and "/login" not in answer.headers.get("Location", ""):
                    return True
            if self.ctx.stop.wait(2):
                return False
        return False

    # editors
    def step_editor(self) -> None:
        a = self.account
        path = f"/returns/{a.slug}/{OPEN_YEAR}/sections/{a.section}"
        page = self.client.get("section page", path)
        fields = form_fields(page.text) if page is not None and page.status == 200 else []
        self.ctx.think_time(self.rng)
        name = f"f.{a.field_key}"
        if self.ctx.stop.is_set() or not any(n == name for n, _v in fields):
            return
        self.seq += 1
        value: Any = (1000 + self.seq if a.kind == "integer" else
                      f"Slodzes tests — redaktors {self.number}, {self.seq}.")
        form = [(n, str(value) if n == name else v) for n, v in fields] + [("action", "save")]
        answer = self.client.request("section save", "POST", path, form)
        if answer is None:
            outcome, claim = "no answer (timeout or connection)", ""
        elif answer.status == 302 and "/login" not in answer.headers.get("Location", ""):
            outcome, claim = "ack", ""
        else:
            outcome = f"status {answer.status}"
            claim = page_summary(answer)[1] if answer.status >= 500 else ""
        with self.ctx.lock:
            self.ctx.saves.append(Save(a.email, a.user_id, a.slug, a.field_key, value, self.seq, outcome, claim))
        if outcome == "ack":
            location = urlsplit(answer.headers["Location"])  # type: ignore[union-attr]
            self.client.get("section page after save", location.path + (f"?{location.query}" if location.query else ""))
        self.ctx.think_time(self.rng)
        if self.rng.random() < 0.2:
            self.client.get("return overview", f"/returns/{a.slug}/{OPEN_YEAR}")
            self.ctx.think_time(self.rng)

    # reviewers
    def step_reviewer(self) -> None:
        desk = self.client.get("review desk", "/review/")
        links = sorted(set(re.findall(r'href="(/review/[a-z0-9-]+/\d{4})"', desk.text))) if desk is not None else []
        self.ctx.think_time(self.rng)
        self.client.get("dashboard", "/dashboard")
        self.ctx.think_time(self.rng)
        choices = links + [f"/review/{slug}/{OPEN_YEAR - 1}" for slug in self.account.review_slugs]
        if choices and not self.ctx.stop.is_set():
            self.client.get("review page", self.rng.choice(choices))
            self.ctx.think_time(self.rng)

    # researchers
    def step_researcher(self) -> None:
        index = self.client.get("reports index", "/reports/")
        links = _links(index, r"/reports/\d{4}/(?:indicators|regions|tables|municipalities)/[^\"]+")
        self.ctx.think_time(self.rng)
        if links and not self.ctx.stop.is_set():
            self.client.get("report page", self.rng.choice(links))
            self.ctx.think_time(self.rng)
        figures = self.client.get("figures", "/figures")
        links = _links(figures, r"/figures/\d{4}/(?:indicators|regions)/[^\"]+")
        self.ctx.think_time(self.rng)
        if links and not self.ctx.stop.is_set():
            self.client.get("figures page", self.rng.choice(links))
            self.ctx.think_time(self.rng)


def _links(response: Response | None, pattern: str) -> list[str]:
    if response is None or response.status != 200:
        return []
    return sorted({html.unescape(h) for h in re.findall(f'href="({pattern})"', response.text)})
