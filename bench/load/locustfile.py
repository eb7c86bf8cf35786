"""Locust journeys per role against two servers at once: the demo data at 1x and at 10x.

Each simulated person keeps one logged-in session on each server and sends every request to
both, in alternating order, so the two see the same machine load (the paired 1x/10x ratio of
``run.py``). Logins are real: the password form, then the one-time code computed from the demo
authenticator key (``accounts.demo.demo_totp_key``), one login per person and server, shared
by the simulated users of that person (a one-time code is accepted only once).

Started by ``bench/load/run.py``, which passes the servers and the ids it needs in
``LOAD_TARGETS`` (JSON). Request names are ``<scale> <page>``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import os
import random
import re
import threading
import time
import uuid
from collections import deque
from typing import Any

import requests
from django_otp.oath import totp
from locust import HttpUser, between, task

TARGETS: list[dict[str, Any]] = json.loads(os.environ.get("LOAD_TARGETS", "[]"))
PASSWORD = "Osallisuus-demo-2026"  # noqa: S105 - the demo's printed password
DOMAIN = "demo.osallisuus.fi"
EMAILS = {
    "participant": f"aino.makinen@{DOMAIN}",
    "own_worker": f"ville.hakkinen@{DOMAIN}",
    "coordinator": f"kaisa.lindstrom@{DOMAIN}",
    "expert": f"eero.vaisanen@{DOMAIN}",
    "orderer": f"sari.ohman@{DOMAIN}",
}
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

_sessions: dict[tuple[str, str], requests.Session] = {}
_login_lock = threading.Lock()
# Work handed from one role to the next, per server: requests to review, offers to accept.
_to_review: dict[str, deque[int]] = {t["label"]: deque() for t in TARGETS}
_to_accept: dict[str, deque[int]] = {t["label"]: deque() for t in TARGETS}
_signed_up: dict[str, set[int]] = {t["label"]: set() for t in TARGETS}
_slot = itertools.count()


def _code(email: str) -> str:
    key = bytes.fromhex(hashlib.sha256(f"osallisuus-demo-totp:{email}".encode()).hexdigest()[:40])
    return f"{totp(key, step=30, t0=0, digits=6, drift=0):06d}"


def _login(target: dict[str, Any], role: str) -> requests.Session:
    """A real login (password, then the one-time code when the role needs it)."""
    base = target["url"]
    s = requests.Session()
    s.headers.update({"X-Forwarded-Proto": "https", "Referer": base.replace("http:", "https:") + "/"})
    s.headers["Origin"] = base.replace("http:", "https:")
    page = s.get(f"{base}/account/login/", timeout=30)
    _unsecure(s)
    token = CSRF_RE.search(page.text).group(1)  # type: ignore[union-attr]
    answer = s.post(
        f"{base}/account/login/",
        data={"username": EMAILS[role], "password": PASSWORD, "csrfmiddlewaretoken": token},
        timeout=30,
        allow_redirects=False,
    )
    _unsecure(s)
    if answer.status_code != 302:
        raise RuntimeError(f"login of {role} at {base} answered {answer.status_code}")
    for _attempt in range(3):
        page = s.get(f"{base}/account/second-factor/", timeout=30, allow_redirects=False)
        _unsecure(s)
        if page.status_code == 302:
            break  # no second factor for this role, or verified already
        token = CSRF_RE.search(page.text).group(1)  # type: ignore[union-attr]
        verified = s.post(
            f"{base}/account/second-factor/",
            data={"code": _code(EMAILS[role]), "csrfmiddlewaretoken": token},
            timeout=30,
            allow_redirects=False,
        )
        _unsecure(s)
        if verified.status_code == 302:
            break
        time.sleep(31)  # the code of this half-minute was used already: wait for the next
    else:
        raise RuntimeError(f"second factor of {role} at {base} refused")
    return s


def _unsecure(s: requests.Session) -> None:
    for cookie in s.cookies:
        cookie.secure = False


def session_for(target: dict[str, Any], role: str) -> requests.Session:
    with _login_lock:
        key = (target["label"], role)
        if key not in _sessions:
            _sessions[key] = _login(target, role)
        return _sessions[key]


class Journey(HttpUser):
    """Base: sends each step to every target, alternating which goes first."""

    abstract = True
    wait_time = between(0.05, 0.3)
    host = TARGETS[0]["url"] if TARGETS else "http://127.0.0.1:8000"
    role: str | None = None

    def on_start(self) -> None:
        self.turn = 0
        if self.role:
            for target in TARGETS:
                session_for(target, self.role)  # the real login happens once per person and server

    def _cookies(self, target: dict[str, Any]) -> dict[str, str]:
        if not self.role:
            return {}
        return requests.utils.dict_from_cookiejar(_sessions[(target["label"], self.role)].cookies)

    def _order(self) -> list[dict[str, Any]]:
        self.turn += 1
        return TARGETS if self.turn % 2 else list(reversed(TARGETS))

    def _send(self, target: dict[str, Any], method: str, path: str, name: str, **kw: Any) -> Any:
        cookies = self._cookies(target)
        headers = {
            "X-Forwarded-Proto": "https",
            "Referer": target["url"].replace("http:", "https:") + "/",
            **kw.pop("headers", {}),
        }
        if method != "GET" and "csrftoken" in cookies:
            headers["X-CSRFToken"] = cookies["csrftoken"]
        ok = set(kw.pop("ok", (200,)))
        with self.client.request(
            method,
            target["url"] + path,
            name=f"{target['label']} {name}",
            headers=headers,
            cookies=cookies,
            allow_redirects=False,
            catch_response=True,
            **kw,
        ) as response:
            if response.status_code in ok:
                response.success()
            else:
                response.failure(f"{response.status_code}")
            return response

    def page(self, path: str, name: str | None = None) -> None:
        for target in self._order():
            self._send(target, "GET", path, name or path)

    def floor(self) -> None:
        self.page("/ping/", "ping (anonymous)" if not self.role else "ping (logged in)")


class Anonymous(Journey):
    weight = 3

    @task(3)
    def ping(self) -> None:
        self.floor()

    @task(1)
    def front(self) -> None:
        self.page("/", "/ (anonymous)")


class Participant(Journey):
    weight = 4
    role = "participant"

    @task(3)
    def ping(self) -> None:
        self.floor()

    @task(2)
    def home(self) -> None:
        self.page("/", "/ (home)")

    @task(2)
    def plan(self) -> None:
        self.page("/plan/")

    @task(2)
    def catalogue(self) -> None:
        self.page("/plan/activities/")

    @task(1)
    def questionnaires(self) -> None:
        self.page("/measurement/")

    @task(1)
    def sign_up(self) -> None:
        for target in self._order():
            free = [a for a in target["activities"] if a not in _signed_up[target["label"]]]
            if not free:
                continue
            activity = random.choice(free)
            _signed_up[target["label"]].add(activity)
            self._send(
                target,
                "POST",
                f"/api/v1/activation/activities/{activity}/sign-up?join_waiting_list=true",
                "POST sign-up (API)",
                headers={"Idempotency-Key": uuid.uuid4().hex},
                ok=(201, 409),  # 409: already signed up earlier (the demo's own sign-ups)
            )


class OwnWorker(Journey):
    weight = 2
    role = "own_worker"

    @task(2)
    def ping(self) -> None:
        self.floor()

    @task(2)
    def caseload(self) -> None:
        self.page("/plan/caseload/")

    @task(1)
    def people(self) -> None:
        self.page("/account/people/")


class Coordinator(Journey):
    weight = 4
    role = "coordinator"

    @task(2)
    def ping(self) -> None:
        self.floor()

    @task(2)
    def experts_home(self) -> None:
        self.page("/experts/")

    @task(2)
    def expert_list(self) -> None:
        self.page("/experts/experts/")

    @task(2)
    def requests_list(self) -> None:
        self.page("/experts/requests/")

    @task(1)
    def wellbeing(self) -> None:
        self.page("/experts/wellbeing/")

    @task(1)
    def report(self) -> None:
        self.page("/experts/reports/")

    @task(2)
    def review_and_offer(self) -> None:
        for target in self._order():
            queue = _to_review[target["label"]]
            if not queue:
                continue
            rid = queue.popleft()
            review = self._send(
                target,
                "POST",
                f"/api/v1/experts/requests/{rid}/review",
                "POST review (API)",
                json={"approve": True, "fee_item_code": "event"},
            )
            if review.status_code != 200:
                continue
            offers = self._send(
                target,
                "POST",
                f"/api/v1/experts/requests/{rid}/offers",
                "POST offer (API)",
                json={"expert_ids": [target["eero"]]},
                ok=(201,),
            )
            if offers.status_code == 201:
                _to_accept[target["label"]].extend(o["id"] for o in offers.json())


class Orderer(Journey):
    weight = 2
    role = "orderer"

    @task(2)
    def requests_list(self) -> None:
        self.page("/experts/requests/", "/experts/requests/ (orderer)")

    @task(1)
    def order(self) -> None:
        # Each order at its own hour far ahead, so the expert's accepted tasks never overlap.
        starts = dt.datetime(2027, 6, 1, 8, tzinfo=dt.UTC) + dt.timedelta(hours=3 * next(_slot))
        for target in self._order():
            created = self._send(
                target,
                "POST",
                "/api/v1/experts/requests",
                "POST order (API)",
                json={
                    "broker_id": target["ngo"],
                    "task_type": "lecture",
                    "title": "Kuormitustestin tilaus",
                    "description": "Kokemuspuheenvuoro.",
                    "starts_at": starts.isoformat(),
                    "duration_minutes": 60,
                    "remote": True,
                    "experience_area": "mental_health",
                    "partner_worker_id": target["jussi"],
                },
                ok=(201,),
            )
            if created.status_code == 201:
                _to_review[target["label"]].append(created.json()["id"])


class Expert(Journey):
    weight = 2
    role = "expert"

    @task(2)
    def offers(self) -> None:
        self.page("/experts/offers/")

    @task(1)
    def accept(self) -> None:
        for target in self._order():
            queue = _to_accept[target["label"]]
            if not queue:
                continue
            self._send(
                target,
                "POST",
                f"/api/v1/experts/offers/{queue.popleft()}/accept",
                "POST accept (API)",
                json={"volunteer": False},
                headers={"Idempotency-Key": uuid.uuid4().hex},
                ok=(201,),
            )
