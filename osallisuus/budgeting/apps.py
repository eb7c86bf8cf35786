from __future__ import annotations

from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

INSTRUMENT_FILE = Path(__file__).resolve().parent / "instruments" / "budgeting-delivery-feedback.json"


def import_feedback_instrument(**kwargs: Any) -> None:
    """After ``migrate``: our own feedback questionnaire, imported through the measurement engine
    (idempotent: the same version with the same content is left as it is)."""
    if kwargs.get("using", "default") != "default":
        return
    from osallisuus.measurement import services as measurement

    measurement.instrument_import(raw=INSTRUMENT_FILE.read_bytes(), actor=None)


def process_link(context_ref: str, user: Any) -> tuple[str, str] | None:
    """Measurement's link back from the delivery feedback (``purchase:<pk>``) to the process page,
    for a person who may still open it. Reads no personal data."""
    from django.urls import reverse
    from django.utils.translation import gettext

    from .models import Purchase
    from .permissions import processes_as_voter

    kind, _sep, pk = context_ref.partition(":")
    if kind != "purchase" or not pk.isdigit():
        return None
    process_id = (
        Purchase.objects.filter(pk=int(pk), process__in=processes_as_voter(user))
        .values_list("process_id", flat=True)
        .first()
    )
    if process_id is None:
        return None
    return gettext("Back to participatory budgeting"), reverse("budgeting:process", args=[process_id])


def _takes_part(request: Any) -> bool:
    from .permissions import P

    perms = request.user.permissions
    return any(perms.has(code) for code in (P.RUN, P.TAKE_PART, P.DELIVER, P.VIEW_AGGREGATES))


def _listed(request: Any) -> bool:
    from .permissions import processes_as_voter

    return processes_as_voter(request.user).exists()


class BudgetingConfig(AppConfig):
    name = "osallisuus.budgeting"
    label = "budgeting"
    verbose_name = _("Participatory budgeting")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate
        from django.utils.translation import ngettext

        from osallisuus.core.navigation import HomeEntry, NavEntry, QueueEntry, register, register_home, register_queue
        from osallisuus.core.notifications import Kind, register_kind
        from osallisuus.measurement import services as measurement

        from . import selectors
        from .permissions import P

        post_migrate.connect(import_feedback_instrument, sender=self, dispatch_uid="budgeting_feedback_instrument")
        measurement.register_context_link("budgeting", process_link)

        register_kind(Kind("budgeting.proposal_checked", _("My proposals were checked (participatory budgeting)")))
        register_kind(Kind("budgeting.voting_open", _("Voting opens (participatory budgeting)")))
        register_kind(Kind("budgeting.assisted", _("My vote was recorded with help (participatory budgeting)")))
        register_kind(Kind("budgeting.results", _("Results are published (participatory budgeting)")))
        register_kind(
            Kind("budgeting.delivered", _("A winner was carried out: give feedback (participatory budgeting)"))
        )

        register(NavEntry("budgeting:home", _("Participatory budgeting"), order=55, when=_takes_part))
        register_home(
            HomeEntry(
                "participant",
                "budgeting:home",
                _("Participatory budgeting"),
                _("Propose and vote on how your group's money is used."),
                order=55,
                when=_listed,
            )
        )
        for role in ("activity_provider", "civic_unit"):
            register_home(
                HomeEntry(
                    role,
                    "budgeting:home",
                    _("Participatory budgeting"),
                    _("Run a process in which the group decides on its money: proposals, costing, voting, results."),
                    permission=P.RUN,
                    order=55,
                )
            )
        register_home(
            HomeEntry(
                "applicant",
                "budgeting:deliveries",
                _("Winners we carry out"),
                _("Winning proposals of participatory budgeting your organisation has agreed to carry out."),
                permission=P.DELIVER,
                order=55,
            )
        )
        register_home(
            HomeEntry(
                "analyst",
                "budgeting:figures",
                _("Figures of participatory budgeting"),
                _("Money, proposals, votes and winners of every process. No person's data."),
                permission=P.VIEW_AGGREGATES,
                order=55,
            )
        )
        register_queue(
            QueueEntry(
                key="budgeting.to_check",
                label=lambda n: (
                    ngettext("%(n)d proposal waits for your check", "%(n)d proposals wait for your check", n) % {"n": n}
                ),
                url_name="budgeting:home",
                count=lambda request: selectors.proposals_waiting(actor=request.user),  # type: ignore[arg-type]
                permission=P.RUN,
                order=55,
            )
        )
        register_queue(
            QueueEntry(
                key="budgeting.to_vote",
                label=lambda n: (
                    ngettext("Voting is open in %(n)d process", "Voting is open in %(n)d processes", n) % {"n": n}
                ),
                url_name="budgeting:home",
                count=lambda request: selectors.votes_waiting(actor=request.user),  # type: ignore[arg-type]
                order=56,
            )
        )
