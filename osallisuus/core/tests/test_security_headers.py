"""Security headers, templates without inline script or style, and production settings
(`check --deploy`, secure cookies, HSTS) tested in a separate process with production values."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from osallisuus.core.demo import DEMO_PASSWORD

REPO = Path(settings.BASE_DIR)
PRODUCTION_HOST = "osallisuus.example.fi"
HSTS = {
    "SECURE_HSTS_SECONDS": 31_536_000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SECURE_SSL_REDIRECT": False,
}


def _csp(response) -> dict[str, str]:
    directives = [d.strip() for d in response["Content-Security-Policy"].split(";") if d.strip()]
    return {d.split(" ", 1)[0]: d.split(" ", 1)[1] if " " in d else "" for d in directives}


def _assert_security_headers(response) -> None:
    csp = _csp(response)
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'"
    assert csp["style-src"] == "'self'"
    assert csp["object-src"] == "'none'"
    assert csp["base-uri"] == "'none'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["form-action"] == "'self'"
    policy = response["Content-Security-Policy"]
    for loose in ("'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:"):
        assert loose not in policy.split(), loose
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions


# -- headers on pages --------------------------------------------------------------------


@override_settings(**HSTS)
def test_headers__login_page_over_https__has_every_security_header(client, db):
    response = client.get("/account/login/", secure=True)
    assert response.status_code == 200
    _assert_security_headers(response)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@override_settings(**HSTS)
def test_headers__logged_in_page__has_every_header_and_is_not_cached(client, personas, login):
    login(personas.coordinator)
    response = client.get("/account/people/", secure=True)
    assert response.status_code == 200
    _assert_security_headers(response)
    assert "Strict-Transport-Security" in response
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("method", "path", "extra", "status"),
    [
        ("get", "/no-such-page/", {}, 404),
        ("post", "/feedback/", {"CONTENT_LENGTH": "not-a-number"}, 400),
        ("post", "/feedback/", {"CONTENT_LENGTH": str(10**12)}, 413),
        ("get", "/api/v1/no-such-endpoint", {}, 404),
    ],
    ids=["404", "400-bad-length", "413-too-large", "api-404"],
)
@override_settings(**HSTS)
def test_headers__error_answers__have_the_security_headers_too(client, db, method, path, extra, status):
    response = getattr(client, method)(path, secure=True, **extra)
    assert response.status_code == status
    _assert_security_headers(response)
    assert "Strict-Transport-Security" in response


def test_headers__plain_http_in_tests__no_hsts(client, db):
    # HSTS is only sent over HTTPS (a browser ignores it on http anyway)
    response = client.get("/account/login/")
    assert "Strict-Transport-Security" not in response


# -- templates: nothing inline that the CSP would block ----------------------------------------

TEMPLATE_DIRS = [REPO / "templates", *sorted((REPO / "osallisuus").glob("*/templates"))]
TAG = re.compile(r"<(?P<name>[a-zA-Z][\w:-]*)(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.S)
ATTR = re.compile(r"""(?P<name>[^\s=/>"']+)(?:\s*=\s*(?P<value>"[^"]*"|'[^']*'|[^\s>]+))?""")
BLOCKED_ATTR = re.compile(r"^(?:on[a-z]+|hx-on.*|data-hx-on.*|style)$", re.I)
URL_ATTRS = {"href", "src", "action", "formaction"}


def inline_code_problems(text: str, *, allow_style_element: bool = False) -> list[str]:
    """What in a template the strict CSP would block: <script> without src, <style>,
    style="" attributes, on*= and hx-on handlers, javascript: URLs.

    ``allow_style_element`` is for templates that only WeasyPrint renders into PDF files:
    no browser runs them, so their stylesheet may sit in a <style> element."""
    problems = []
    # Template tags may sit between attributes ({% if %} style="..."{% endif %}); variables may hold quotes.
    text = re.sub(r"{%.*?%}|{#.*?#}", " ", re.sub(r"{{.*?}}", "X", text, flags=re.S), flags=re.S)
    for match in TAG.finditer(text):
        name, attrs = match["name"].lower(), match["attrs"]
        if name == "script" and not re.search(r"(?:^|\s)src\s*=", attrs):
            problems.append("inline <script>")
        if name == "style" and not allow_style_element:
            problems.append("<style> element")
        for attr in ATTR.finditer(attrs):
            attr_name, value = attr["name"].lower(), (attr["value"] or "").strip("\"' \t\n")
            if BLOCKED_ATTR.match(attr_name) and attr["value"] is not None:
                problems.append(f"{attr_name}= attribute")
            if attr_name in URL_ATTRS and value.lower().startswith("javascript:"):
                problems.append("javascript: URL")
    return problems


def _templates() -> list[Path]:
    return sorted(path for folder in TEMPLATE_DIRS for path in folder.rglob("*.html"))


def _pdf_only(path: Path) -> bool:
    """Templates for PDF files live in a ``pdf/`` folder or are named ``*_pdf.html``; the HTML
    parts of e-mails live in an ``email/`` folder. No page of the service serves them, so the
    CSP does not apply: their stylesheet may sit in a <style> element (nothing else inline)."""
    return "pdf" in path.parent.parts or "email" in path.parent.parts or path.stem.endswith("_pdf")


@pytest.mark.parametrize(
    "sample",
    [
        "<script>alert(1)</script>",
        "<SCRIPT type='module'>x()</SCRIPT>",
        '<div style="color:red">',
        "<p STYLE='x'>",
        '<button onclick="go()">',
        '<body onload="x()">',
        '<img src="x.png" onerror="x()">',
        '<a href="#" hx-on:click="x()">',
        '<a href="javascript:void(0)">',
        "<style>p { color: red }</style>",
        '<div\n  class="a"\n  onmouseover="x()">',
        '<p class="a"{% if x %} style="color:red"{% endif %}>',
        '<p class="{{ css }}"{% if x %}style="color:red"{% endif %}>',
        '<input value="{{ v|default:\'>\' }}" onclick="x()">',
    ],
)
def test_template_scan__inline_code__is_found(sample):
    # the scanner can fail: every kind of inline code is noticed
    assert inline_code_problems(sample)


@pytest.mark.parametrize(
    "sample",
    [
        '<script src="/static/js/app.js" defer></script>',
        '<input name="style" value="onclick=x">',
        '<p data-online="1" class="hds-notification">',
        "<p>Write style= or onclick= in text</p>",
        '<meta name="htmx-config" content=\'{"allowEval": false}\'>',
    ],
)
def test_template_scan__safe_markup__is_not_flagged(sample):
    assert inline_code_problems(sample) == []


def test_template_scan__pdf_template__may_have_a_style_element_but_nothing_else_inline():
    assert inline_code_problems("<style>p { margin: 0 }</style>", allow_style_element=True) == []
    assert inline_code_problems('<p style="margin:0">', allow_style_element=True)
    assert inline_code_problems("<script>x()</script>", allow_style_element=True)
    assert _pdf_only(REPO / "osallisuus/experts/templates/experts/pdf/_style.html")
    assert _pdf_only(REPO / "osallisuus/activation/templates/activation/plan_pdf.html")
    assert _pdf_only(REPO / "osallisuus/core/templates/core/email/notice.html")
    assert not _pdf_only(REPO / "templates/base.html")


def test_templates__have_no_inline_scripts_styles_or_handlers():
    # given every template of the project
    templates = _templates()
    assert any(p.name == "base.html" for p in templates)
    assert any("accounts" in p.parts for p in templates)
    # then none has code the strict Content-Security-Policy would block
    found = {
        str(path.relative_to(REPO)): problems
        for path in templates
        if (problems := inline_code_problems(path.read_text(encoding="utf-8"), allow_style_element=_pdf_only(path)))
    }
    assert found == {}


# -- production settings, in a separate process ---------------------------------------------


def _production_env(tmp_path: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "OSALLISUUS_TESTING", "OSALLISUUS_DEMO", "FORCE_SECURE", "SECURE_SSL_REDIRECT"}
        and not key.startswith(("PYTEST", "DJANGO_"))
    }
    env.update(
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS=PRODUCTION_HOST,
        SITE_URL=f"https://{PRODUCTION_HOST}",
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
        DJANGO_SETTINGS_MODULE="config.settings",
        LOG_LEVEL="ERROR",
    )
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - fixed arguments, our own manage.py
        [sys.executable, str(REPO / "manage.py"), *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_check_deploy__production_values__passes_without_warnings(tmp_path):
    # given the environment of a production server (no DEBUG, no test or demo switches)
    env = _production_env(tmp_path)
    # when Django's deployment checklist is run
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], env)
    # then it finds nothing
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_settings__production_without_secret_key__refuses_to_serve_and_fails_the_deploy_check(tmp_path):
    # given a production environment that forgot SECRET_KEY
    env = _production_env(tmp_path)
    env.pop("SECRET_KEY")
    # when the deployment check runs, it fails and names the setting
    result = _run(["check", "--deploy"], env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr
    # and the WSGI application refuses to start
    served = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        env=env,
        cwd=str(settings.BASE_DIR),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert served.returncode != 0
    assert "SECRET_KEY" in served.stderr


PRODUCTION_REQUESTS = """
import json
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from osallisuus.accounts.models import User

call_command("migrate", verbosity=0)
User.objects.create_user("tuotanto@example.fi", PASSWORD, full_name="Tuotanto Testi", preferred_language="sv")
plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
out = {"settings": {name: getattr(settings, name) for name in (
    "DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "LANGUAGE_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_HTTPONLY", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD", "SECURE_CONTENT_TYPE_NOSNIFF", "X_FRAME_OPTIONS")}}
# The manifest of collected static files is not built here; it is not what is being tested.
with override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain_static}):
    client = Client(HTTP_HOST=HOST)
    http = client.get("/account/login/")
    out["http"] = {"status": http.status_code, "location": http.get("Location")}
    page = client.get("/account/login/", secure=True)
    login = client.post("/account/login/", {"username": "tuotanto@example.fi", "password": PASSWORD}, secure=True)
    out["page"] = {"status": page.status_code, "headers": dict(page.headers)}
    out["login"] = {"status": login.status_code, "headers": dict(login.headers)}
    out["cookies"] = {name: {"secure": bool(c["secure"]), "httponly": bool(c["httponly"]), "samesite": c["samesite"]}
                      for response in (page, login) for name, c in response.cookies.items()}
print("RESULT=" + json.dumps(out))
"""


def test_production__requests__use_https_hsts_and_secure_cookies(tmp_path):
    # given a production process (own database, production environment)
    env = _production_env(tmp_path)
    script = f"PASSWORD = {DEMO_PASSWORD!r}\nHOST = {PRODUCTION_HOST!r}\n" + PRODUCTION_REQUESTS
    # when a browser opens the login page and logs in
    result = _run(["shell", "-c", script], env)
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(next(line for line in result.stdout.splitlines() if line.startswith("RESULT="))[7:])
    # then the settings are the production ones
    assert out["settings"] == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "LANGUAGE_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "X_FRAME_OPTIONS": "DENY",
    }
    # and plain http is sent to https
    assert out["http"] == {"status": 301, "location": f"https://{PRODUCTION_HOST}/account/login/"}
    # and the pages carry HSTS and the strict policy
    assert out["page"]["status"] == 200
    assert out["login"]["status"] == 302
    for answer in (out["page"], out["login"]):
        headers = answer["headers"]
        assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
        assert "script-src 'self';" in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY"
    # and every cookie is Secure; the session and CSRF cookies are also out of reach of scripts
    cookies = out["cookies"]
    assert set(cookies) >= {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
    assert all(c["secure"] for c in cookies.values()), cookies
    assert cookies[settings.SESSION_COOKIE_NAME]["httponly"]
    assert cookies[settings.CSRF_COOKIE_NAME]["httponly"]
    assert all(c["samesite"] == "Lax" for c in cookies.values()), cookies
