"""The authorization matrix: every URL pattern × every persona (and anonymous) × method.

Each entry names how to build the URL's arguments and what each persona gets. The test in
``test_authorization_matrix.py`` fails when a URL pattern of the project is not listed here,
so a module author cannot add a page without deciding who may open it.

Outcomes are written as short codes:

* ``200``/``201``/``400``/``401``/``403``/``404``/``405``: that status
* ``"login"``: a redirect to the login page (anonymous visitors)
* ``"redirect"``: any other redirect (e.g. after a successful POST)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

ANON = "anonymous"

ROLE_PERSONAS = [
    "participant",
    "own_worker",
    "coordinator",
    "expert",
    "orderer",
    "partner_worker",
    "network_coordinator",
    "network_member",
    "funder_officer",
    "civic_unit",
    "applicant",
    "steering_group",
    "activity_provider",
    "analyst",
    "administrator",
]
ALL_PERSONAS = [ANON, *ROLE_PERSONAS]

Outcome = int | str


@dataclass(frozen=True)
class Case:
    """Expected outcomes of one URL for one method."""

    default: Outcome
    anonymous: Outcome | None = None
    overrides: Mapping[str, Outcome] = field(default_factory=dict)
    data: Mapping[str, Any] | None = None
    content_type: str | None = None

    def expected(self, persona: str) -> Outcome:
        if persona == ANON and self.anonymous is not None:
            return self.anonymous
        return self.overrides.get(persona, self.default)


@dataclass(frozen=True)
class Entry:
    kwargs: Callable[[Any], dict[str, Any]] = field(default=lambda ctx: {})
    methods: Mapping[str, Case] = field(default_factory=dict)
    reads_personal_data: bool = False
    """True when a 200 answer shows someone's personal data (checked by the access-log test)."""
    query: str = ""


def everyone(status: Outcome, *, anonymous: Outcome | None = None, **overrides: Outcome) -> Case:
    return Case(default=status, anonymous=anonymous, overrides=overrides)


def logged_in(status: Outcome = 200, **overrides: Outcome) -> Case:
    return Case(default=status, anonymous="login", overrides=overrides)


def only(personas: Mapping[str, Outcome], *, others: Outcome, anonymous: Outcome = "login") -> Case:
    return Case(default=others, anonymous=anonymous, overrides=dict(personas))


def api_logged_in(status: Outcome = 200, **overrides: Outcome) -> Case:
    return Case(default=status, anonymous=401, overrides=overrides)


NOT_ALLOWED = everyone(405)

# People with a permission to list people (people.view_organisation or people.view_clients).
PEOPLE_LISTERS = {"coordinator": 200, "own_worker": 200}
# Who may see Aino's (the participant's) details: herself and her own worker.
AINO_VIEWERS = {"participant": 200, "own_worker": 200}
ADMIN_ONLY_PAGE = only({"administrator": 200}, others=403)


MATRIX: dict[str, Entry] = {
    # -- core ----------------------------------------------------------------------
    "core:home": Entry(methods={"GET": everyone(200), "POST": everyone(405)}),
    "core:accessibility": Entry(methods={"GET": everyone(200), "POST": everyone(405)}),
    "core:feedback": Entry(methods={"GET": everyone(200), "POST": everyone(400)}),
    "core:feedback_thanks": Entry(methods={"GET": everyone(200)}),
    "core:session_extend": Entry(methods={"GET": everyone(405), "POST": logged_in("redirect")}),
    "core:job_progress": Entry(
        kwargs=lambda ctx: {"job_id": ctx.job_of_aino.pk},
        methods={"GET": only({"participant": 200}, others=404), "POST": everyone(405)},
    ),
    "core:job_download": Entry(
        kwargs=lambda ctx: {"job_id": ctx.job_of_aino.pk},
        methods={"GET": only({"participant": 200}, others=404)},
    ),
    "core:healthz": Entry(methods={"GET": everyone(200)}),
    "core:readyz": Entry(methods={"GET": everyone(200)}),
    "core:notifications": Entry(methods={"GET": logged_in(200), "POST": logged_in(405)}),
    "core:notification_open": Entry(
        kwargs=lambda ctx: {"notification_id": ctx.notification_of_aino.pk},
        methods={"GET": logged_in(405), "POST": only({"participant": "redirect"}, others=404)},
    ),
    "core:notifications_read_all": Entry(methods={"GET": logged_in(405), "POST": logged_in("redirect")}),
    "core:notification_settings": Entry(methods={"GET": logged_in(200), "POST": logged_in("redirect")}),
    "core:feedback_admin": Entry(methods={"GET": ADMIN_ONLY_PAGE, "POST": logged_in(405)}, reads_personal_data=True),
    "core:feedback_mark_handled": Entry(
        kwargs=lambda ctx: {"feedback_id": ctx.feedback_from_aino.pk},
        methods={"GET": logged_in(405), "POST": only({"administrator": "redirect"}, others=403)},
    ),
    "set_language": Entry(
        methods={"POST": Case(default="redirect", data={"language": "sv", "next": "/"})},
    ),
    # -- accounts ------------------------------------------------------------------
    "accounts:login": Entry(
        methods={
            "GET": everyone(200, **dict.fromkeys(ROLE_PERSONAS, "redirect")),
            "POST": everyone(400, **dict.fromkeys(ROLE_PERSONAS, "redirect")),
        }
    ),
    "accounts:logout": Entry(methods={"GET": everyone(405), "POST": everyone("login")}),
    "accounts:second_factor": Entry(methods={"GET": logged_in("redirect")}),
    "accounts:profile": Entry(methods={"GET": logged_in(200)}, reads_personal_data=True),
    "accounts:people": Entry(
        methods={"GET": only(PEOPLE_LISTERS, others=403)},
        reads_personal_data=True,
    ),
    "accounts:person": Entry(
        kwargs=lambda ctx: {"person_id": ctx.personas.participant.pk},
        methods={"GET": only(AINO_VIEWERS, others=404)},
        reads_personal_data=True,
    ),
    "accounts:password_change": Entry(methods={"GET": logged_in(200), "POST": logged_in(400)}),
    # A link to choose one's password (an expert added by a coordinator); a wrong or used link: 410.
    "accounts:password_set": Entry(
        kwargs=lambda ctx: {"uidb64": "MA", "token": "no-such-token"},
        methods={"GET": everyone(410), "POST": everyone(410)},
    ),
    "accounts:api_tokens": Entry(methods={"GET": logged_in(200), "POST": logged_in(400)}),
    "accounts:api_token_revoke": Entry(
        kwargs=lambda ctx: {"token_id": ctx.token_of_aino.pk},
        methods={"GET": logged_in(405), "POST": only({"participant": "redirect"}, others=404)},
    ),
    # -- privacy -------------------------------------------------------------------
    "privacy:my_access_log": Entry(methods={"GET": logged_in(200)}, reads_personal_data=True),
    # -- API -----------------------------------------------------------------------
    "api:openapi-json": Entry(methods={"GET": everyone(200)}),
    "api:api-root": Entry(methods={"GET": everyone(404)}),
    "api:job": Entry(
        kwargs=lambda ctx: {"job_id": ctx.job_of_aino.pk},
        methods={"GET": Case(default=404, anonymous=401, overrides={"participant": 200})},
    ),
    "api:me": Entry(methods={"GET": api_logged_in(200)}, reads_personal_data=True),
    "api:people": Entry(methods={"GET": api_logged_in(200)}, reads_personal_data=True),
    "api:person": Entry(
        kwargs=lambda ctx: {"person_id": ctx.personas.participant.pk},
        methods={"GET": Case(default=404, anonymous=401, overrides=AINO_VIEWERS)},
        reads_personal_data=True,
    ),
    "api:my_access_log": Entry(methods={"GET": api_logged_in(200)}, reads_personal_data=True),
}


def module_matrices() -> tuple[dict[str, Entry], dict[str, Callable[[Any], dict[str, Any]]]]:
    """Entries and context builders contributed by the modules.

    A module adds ``osallisuus/<app>/tests/authz.py`` with ``MATRIX: dict[str, Entry]`` and,
    if its URLs need objects, ``def build(personas) -> dict`` whose values are reachable as
    ``ctx.extra["name"]`` in the module's ``kwargs`` lambdas. A module with more than one world
    gives ``BUILDERS: dict[url_name, builder]`` for the URLs whose builder is not ``build``.
    """
    import importlib

    from django.apps import apps

    entries: dict[str, Entry] = {}
    builders: dict[str, Callable[[Any], dict[str, Any]]] = {}
    """URL name → the builder of the module that lists it (only that one runs for the URL)."""
    for config in apps.get_app_configs():
        if not config.name.startswith("osallisuus."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.authz")
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.endswith("tests.authz"):
                continue
            raise
        overlap = set(entries) & set(module.MATRIX) | set(MATRIX) & set(module.MATRIX)
        assert not overlap, f"URL names listed twice in the authorization matrix: {sorted(overlap)}"
        entries.update(module.MATRIX)
        if hasattr(module, "build"):
            builders.update(dict.fromkeys(module.MATRIX, module.build))
        # A module whose URLs need different worlds names the builder per URL (``BUILDERS``).
        builders.update(getattr(module, "BUILDERS", {}))
    return entries, builders


# URL names that are deliberately outside the matrix, with the reason.
EXEMPT_PREFIXES = {
    "admin:": "Django admin: covered by test_admin_site__only_administrators in test_authorization_matrix.py",
}
