"""Start the test identity provider in a process of its own on 127.0.0.1 (a free port) and
talk to it: add people and relying parties, log in through its pages like a browser, make it
misbehave, rotate its keys and end a person's session there.

    provider = running()            # one per test process, stopped at exit
    provider.add_user("aino", "salasana", first_name="Aino", last_name="Mäkinen", email=...)
    provider.add_client("osallisuus", "secret", redirect_uris=[...])
"""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import requests
from jwcrypto import jwk

REPO = Path(__file__).resolve().parents[2]
SETTINGS = "tests.oidc_provider.settings"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class TestProvider:
    __test__ = False  # not a test class, for pytest

    def __init__(self, *, port: int | None = None, workdir: Path | None = None, quiet: bool = True) -> None:
        self.port = port or free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.issuer = f"{self.base_url}/o"
        self.control_secret = secrets.token_urlsafe(24)
        self._own_workdir = workdir is None
        self.workdir = workdir or Path(tempfile.mkdtemp(prefix="osallisuus-idp-"))
        self.log_path = self.workdir / "provider.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.quiet = quiet

    # -- the process -----------------------------------------------------------------------------
    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "OSALLISUUS_"))}
        key_file = self.workdir / "signing-key.pem"
        if not key_file.exists():
            pem = jwk.JWK.generate(kty="RSA", size=2048).export_to_pem(private_key=True, password=None)
            key_file.write_bytes(pem)
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": SETTINGS,
                "PYTHONPATH": str(REPO),
                "IDP_DATABASE": str(self.workdir / "provider.sqlite3"),
                "IDP_ISSUER": self.issuer,
                "IDP_RSA_KEY": key_file.read_text(),
                "IDP_CONTROL_SECRET": self.control_secret,
            }
        )
        return env

    def start(self) -> TestProvider:
        env = self._env()
        subprocess.run(
            [sys.executable, "-m", "django", "migrate", "--noinput", "-v", "0"], env=env, cwd=REPO, check=True
        )
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - this interpreter and the test provider's settings
            [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{self.port}", "--noreload", "--skip-checks"],
            env=env,
            cwd=REPO,
            stdout=log if self.quiet else None,
            stderr=subprocess.STDOUT if self.quiet else None,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the test provider stopped: see {self.log_path}")
            try:
                if requests.get(f"{self.issuer}/.well-known/openid-configuration", timeout=2).ok:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("the test provider did not start in 60 seconds")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None
        if self._own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    # -- control ---------------------------------------------------------------------------------
    def control(self, action: str, **data: Any) -> dict[str, Any]:
        response = requests.post(
            f"{self.base_url}/control/{action}/",
            json=data,
            headers={"Authorization": f"Bearer {self.control_secret}"},
            timeout=30,
        )
        response.raise_for_status()
        return dict(response.json())

    def add_user(self, username: str, password: str, **fields: Any) -> str:
        """A person at the provider; returns their subject identifier (``sub``)."""
        return str(self.control("user", username=username, password=password, **fields)["sub"])

    def add_client(self, client_id: str, client_secret: str, **fields: Any) -> None:
        self.control("client", client_id=client_id, client_secret=client_secret, **fields)

    def misbehave(self, **quirks: Any) -> None:
        """E.g. ``misbehave(id_token_audience="someone-else")``; ``misbehave()`` behaves again."""
        self.control("quirks", **quirks)

    def rotate_key(self) -> str:
        return str(self.control("rotate-key")["kid"])

    def unpublished_key(self) -> str:
        return str(self.control("unpublished-key")["pem"])

    def end_session(self, username: str) -> list[dict[str, Any]]:
        """The person's session at the provider ends; relying parties get back-channel logouts."""
        return list(self.control("logout", username=username)["delivered"])

    def logout_token(self, username: str, client_id: str, **claims: Any) -> str:
        return str(self.control("logout-token", username=username, client_id=client_id, claims=claims)["logout_token"])

    # -- a browser at the provider ---------------------------------------------------------------
    def authorize(
        self, authorize_url: str, *, username: str, password: str, method: str = "pwd", browser: Any = None
    ) -> str:
        """Follow the service's redirect to the provider, log in on its page and return the
        address the provider sends the browser back to (the service's callback, not opened)."""
        browser = browser or requests.Session()
        response = browser.get(authorize_url, allow_redirects=False, timeout=30)
        if response.status_code == 302 and "/accounts/login/" in response.headers["Location"]:
            login_url = urljoin(self.base_url, response.headers["Location"])
            page = browser.get(login_url, timeout=30)
            page.raise_for_status()
            next_url = parse_qs(urlsplit(login_url).query).get("next", ["/"])[0]
            posted = browser.post(
                f"{self.base_url}/accounts/login/",
                data={
                    "username": username,
                    "password": password,
                    "method": method,
                    "next": next_url,
                    "csrfmiddlewaretoken": browser.cookies.get("idp_csrftoken"),
                },
                headers={"Referer": login_url},
                allow_redirects=False,
                timeout=30,
            )
            if posted.status_code != 302:
                raise AssertionError(f"the test provider refused the login of {username}")
            response = browser.get(
                urljoin(self.base_url, posted.headers["Location"]), allow_redirects=False, timeout=30
            )
        if response.status_code != 302:
            raise AssertionError(f"the provider answered {response.status_code}: {response.text[:300]}")
        return str(response.headers["Location"])


_running: TestProvider | None = None


def running() -> TestProvider:
    """The test provider of this process (started on first use, stopped when the process ends)."""
    global _running
    if _running is None or _running.process is None or _running.process.poll() is not None:
        _running = TestProvider().start()
        atexit.register(_running.stop)
    return _running
