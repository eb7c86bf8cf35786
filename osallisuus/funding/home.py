"""The funding module's navigation, front-page links and work queues (registered from ``apps.ready``):
Helena and Pekka see the applications to review, the decisions to make and the ideas waiting for
advice; Tiina her drafts and the decisions made on her applications; Olli the funded projects."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from osallisuus.core.navigation import HomeEntry, NavEntry, QueueEntry, register, register_home, register_queue

from . import selectors
from .models import Application
from .permissions import ALL, P, applications_of_applicant


def _takes_part(request: Any) -> bool:
    perms = request.user.permissions
    return any(perms.has(code) for code in ALL)


def _drafts(request: Any) -> int:
    return applications_of_applicant(request.user).filter(status=Application.Status.DRAFT).count()


def register_entries() -> None:
    register(NavEntry("funding:home", _("Partnership funding"), order=45, when=_takes_part))
    for role, description in (
        ("funder_officer", _("Review applications with the city, hold hearings and decide on the ELY share.")),
        ("civic_unit", _("Run the programme, its calls and the joint review, and decide on the city's share.")),
        ("applicant", _("Present ideas, write applications with your colleagues and follow the decisions.")),
        ("steering_group", _("Follow the funded projects of the programme.")),
        ("analyst", _("The programmes, their envelopes and calls.")),
    ):
        register_home(HomeEntry(role, "funding:home", _("Partnership funding"), description, order=45))
    register_home(
        HomeEntry(
            "applicant",
            "funding:deadlines",
            _("Funding deadlines"),
            _("Calls that are open or coming, soonest closing first."),
            permission=P.APPLY,
            order=46,
        )
    )
    register_queue(
        QueueEntry(
            key="funding.to_review",
            label=lambda n: (
                ngettext("%(n)d funding application to review", "%(n)d funding applications to review", n) % {"n": n}
            ),
            url_name="funding:home",
            count=lambda request: selectors.to_review(request.user).count(),  # type: ignore[arg-type]
            permission=P.REVIEW,
            order=45,
        )
    )
    register_queue(
        QueueEntry(
            key="funding.to_decide",
            label=lambda n: ngettext("%(n)d funding decision to make", "%(n)d funding decisions to make", n) % {"n": n},
            url_name="funding:home",
            count=lambda request: selectors.to_decide(request.user).count(),  # type: ignore[arg-type]
            permission=P.DECIDE,
            order=46,
        )
    )
    register_queue(
        QueueEntry(
            key="funding.ideas",
            label=lambda n: (
                ngettext("%(n)d project idea waits for advice", "%(n)d project ideas wait for advice", n) % {"n": n}
            ),
            url_name="funding:home",
            count=lambda request: selectors.ideas_waiting(request.user).count(),  # type: ignore[arg-type]
            permission=P.ADVISE,
            order=47,
        )
    )
    register_queue(
        QueueEntry(
            key="funding.drafts",
            label=lambda n: (
                ngettext("%(n)d funding application is a draft", "%(n)d funding applications are drafts", n) % {"n": n}
            ),
            url_name="funding:my_applications",
            count=_drafts,
            permission=P.APPLY,
            order=45,
        )
    )
    register_queue(
        QueueEntry(
            key="funding.decided",
            label=lambda n: (
                ngettext(
                    "%(n)d of your funding applications has decisions",
                    "%(n)d of your funding applications have decisions",
                    n,
                )
                % {"n": n}
            ),
            url_name="funding:my_applications",
            count=lambda request: selectors.applicant_decided(request.user).count(),  # type: ignore[arg-type]
            permission=P.APPLY,
            order=46,
        )
    )
    register_queue(
        QueueEntry(
            key="funding.funded",
            label=lambda n: ngettext("%(n)d funded project to follow", "%(n)d funded projects to follow", n) % {"n": n},
            url_name="funding:home",
            count=lambda request: selectors.funded_projects(request.user).count(),  # type: ignore[arg-type]
            permission=P.STEER,
            order=47,
        )
    )
