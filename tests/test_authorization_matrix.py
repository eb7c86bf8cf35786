"""Every URL pattern × every persona (and anonymous) × method gives the expected outcome.

The matrix itself is data in ``authz_matrix.py``. This file also checks, for every answer
of 200, that another person's personal data (name, e-mail, phone) never appears in it
without an access-log entry about that person written by the same request, and that every
entry written is complete and does not contain the data itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import verify_second_factor
from osallisuus.core.models import AccessLogEntry

from .authz_matrix import ALL_PERSONAS, ANON, EXEMPT_PREFIXES, Outcome, module_matrices
from .authz_matrix import MATRIX as CORE_MATRIX

MODULE_MATRIX, MODULE_BUILDERS = module_matrices()
MATRIX = {**CORE_MATRIX, **MODULE_MATRIX}

# Pages that show, by law or by their nature, the names of the staff who acted (the access
# log shown to the person it is about). Contact details must still never appear.
NAME_DISCLOSURE_ALLOWED = {"privacy:my_access_log", "api:my_access_log"}


def project_url_names() -> dict[str, str]:
    names: dict[str, str] = {}

    def walk(resolver: URLResolver, prefix: str, namespace: str | None) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                ns = namespace
                if pattern.namespace:
                    ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
                names[name or f"<unnamed {prefix}{pattern.pattern}>"] = prefix + str(pattern.pattern)

    walk(get_resolver(), "", None)
    return names


def test_matrix__lists_every_url_pattern_of_the_project():
    missing = sorted(
        name
        for name in project_url_names()
        if name not in MATRIX
        and not any(name.startswith(prefix) for prefix in EXEMPT_PREFIXES)
        and not name.startswith("<unnamed admin/")
    )
    assert not missing, f"URL patterns missing from tests/authz_matrix.py: {missing}"


def test_matrix__has_no_entries_for_urls_that_do_not_exist():
    stale = sorted(set(MATRIX) - set(project_url_names()))
    assert not stale, f"Entries in tests/authz_matrix.py without a URL pattern: {stale}"


@dataclass
class Context:
    personas: Any
    job_of_aino: Any
    token_of_aino: Any
    feedback_from_aino: Any
    notification_of_aino: Any
    extra: dict[str, Any]


@pytest.fixture
def ctx(personas: Any, request: Any) -> Context:
    from osallisuus.accounts.api_auth import token_issue
    from osallisuus.core import notifications
    from osallisuus.core import services as core_services

    aino = personas.participant
    job = core_services.job_create(owner=aino, kind="test", label="Aino's export", total=1)
    core_services.job_finish(job_id=job.pk, file=ContentFile(b"{}"), filename="aino.json")
    token, _raw = token_issue(user=aino, name="Aino's token")
    feedback = core_services.feedback_create(sender=aino, topic="service", message="Sivu oli selkeä.")
    notice = notifications.notify(user=aino, kind="core.general", message="Tervetuloa.", url="/plan/", email=False)
    extra: dict[str, Any] = {}
    url_name = getattr(request.node, "callspec", None) and request.node.callspec.params.get("url_name")
    build = MODULE_BUILDERS.get(url_name or "")
    if build is not None:
        extra.update(build(personas))
    return Context(
        personas=personas,
        job_of_aino=job,
        token_of_aino=token,
        feedback_from_aino=feedback,
        notification_of_aino=notice,
        extra=extra,
    )


def client_for(persona: str, personas: Any) -> Client:
    client = Client()
    if persona != ANON:
        user = personas[persona]
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        verify_second_factor(client, user)
    return client


def assert_outcome(response: Any, expected: Outcome, label: str) -> None:
    status = response.status_code
    if expected == "login":
        where = response.get("Location", "")
        assert status in (301, 302), f"{label}: expected a redirect to login, got {status} {where}"
        assert "/account/login/" in where, f"{label}: expected a redirect to login, got {status} {where}"
    elif expected == "redirect":
        assert 300 <= status < 400, f"{label}: expected a redirect, got {status}"
        assert "/account/login/" not in response.get("Location", ""), f"{label}: redirected to login"
    else:
        assert status == expected, f"{label}: expected {expected}, got {status}"


def personal_markers(personas: Any, viewer_key: str) -> dict[int, list[str]]:
    """Strings that identify each persona's personal data, for everyone except the viewer."""
    viewer = None if viewer_key == ANON else personas[viewer_key]
    markers: dict[int, list[str]] = {}
    for user in personas.users.values():
        if viewer is not None and user.pk == viewer.pk:
            continue
        found = [user.email]
        if user.phone:
            found.append(user.phone)
        markers[user.pk] = found
    return markers


def check_access_log(url_name: str, persona: str, personas: Any, body: str, before_id: int) -> None:
    new_entries = list(AccessLogEntry.objects.filter(id__gt=before_id))
    viewer = None if persona == ANON else personas[persona]
    by_subject: dict[int, int] = {}
    for entry in new_entries:
        assert viewer is not None, f"{url_name}: an entry without a viewer"
        assert entry.actor_id == viewer.pk, f"{url_name}: entry by someone else"
        assert entry.subject_id
        assert entry.object_type
        assert entry.object_id
        assert entry.action
        assert entry.purpose
        assert entry.occurred_at is not None
        assert entry.actor_label
        subject = next(u for u in personas.users.values() if u.pk == entry.subject_id)
        for value in (entry.purpose, entry.object_type, entry.object_id, entry.route):
            assert subject.email not in value, f"{url_name}: the access log entry contains the data itself"
            assert not subject.phone or subject.phone not in value, f"{url_name}: the entry contains the phone"
        by_subject[entry.subject_id] = by_subject.get(entry.subject_id, 0) + 1
    assert all(n == 1 for n in by_subject.values()), f"{url_name} as {persona}: more than one entry per person"
    for user_pk, markers in personal_markers(personas, persona).items():
        shown = [m for m in markers if m in body]
        user = next(u for u in personas.users.values() if u.pk == user_pk)
        if url_name not in NAME_DISCLOSURE_ALLOWED and user.full_name in body:
            shown.append(user.full_name)
        if shown:
            assert user_pk in by_subject, (
                f"{url_name} as {persona} shows {user.full_name}'s personal data without an access-log entry"
            )


@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_authorization_matrix(url_name: str, ctx: Context) -> None:
    entry = MATRIX[url_name]
    url = reverse(url_name, kwargs=entry.kwargs(ctx)) + entry.query
    failures = []
    sessions: dict[str, dict[str, str]] = {}
    clients: dict[str, Client] = {}
    for method, case in entry.methods.items():
        for persona in ALL_PERSONAS:
            expected = case.expected(persona)
            if persona not in sessions:
                logged_in_client = client_for(persona, ctx.personas)
                sessions[persona] = {k: v.value for k, v in logged_in_client.cookies.items()}
                clients[persona] = logged_in_client
            client = clients[persona]
            client.cookies.clear()
            for key, value in sessions[persona].items():
                client.cookies[key] = value
            before = AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
            kwargs: dict[str, Any] = {}
            if case.data is not None:
                kwargs["data"] = case.data
            response = getattr(client, method.lower())(url, **kwargs)
            label = f"{method} {url} ({url_name}) as {persona}"
            try:
                assert_outcome(response, expected, label)
                ok_page = response.status_code == 200 and not response.streaming
                body = response.content.decode(errors="replace") if ok_page else ""
                if method == "GET" and ok_page:
                    check_access_log(url_name, persona, ctx.personas, body, before)
            except AssertionError as exc:
                failures.append(str(exc))
    assert not failures, "\n".join(failures)


def test_admin_site__only_administrators(ctx: Context) -> None:
    """The Django admin (code lists, organisations) is for administrators with a verified second factor."""
    for persona in ALL_PERSONAS:
        response = client_for(persona, ctx.personas).get("/admin/")
        if persona == "administrator":
            assert response.status_code == 200, persona
        else:
            assert response.status_code == 302, persona
            assert "/admin/login/" in response["Location"], persona


def test_access_log_check__catches_a_page_that_shows_someone_without_logging(personas: Any) -> None:
    """The detector used above must be able to fail: a body with Aino's e-mail and no entry."""
    body = f"<p>{personas.participant.email}</p>"
    with pytest.raises(AssertionError, match="without an access-log entry"):
        check_access_log("example:page", "coordinator", personas, body, before_id=0)
