from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

INSTRUMENT_FILE = Path(__file__).resolve().parent / "instruments" / "network-evaluation.json"


def import_evaluation_instrument(**kwargs: Any) -> None:
    """After ``migrate``: our own network evaluation, imported through the measurement engine
    (idempotent: the same version with the same content is left as it is)."""
    if kwargs.get("using", "default") != "default":
        return
    from osallisuus.measurement import services as measurement

    measurement.instrument_import(raw=INSTRUMENT_FILE.read_bytes(), actor=None)


def network_link(context_ref: str, user: Any) -> tuple[str, str] | None:
    """Measurement's link back from an evaluation (``network:<pk>``) to the network's evaluation
    page, for a person who may still open it. Reads no personal data."""
    from django.urls import reverse
    from django.utils.translation import gettext

    from .permissions import networks_visible_to

    kind, _sep, pk = context_ref.partition(":")
    if kind != "network" or not pk.isdigit() or not networks_visible_to(user).filter(pk=int(pk)).exists():
        return None
    return gettext("Back to the network"), reverse("networks:evaluation", args=[int(pk)])


def _takes_part(request: Any) -> bool:
    from .permissions import P, networks_visible_to

    perms = request.user.permissions
    return perms.has(P.COORDINATE) or perms.has(P.TAKE_PART) or networks_visible_to(request.user).exists()


def _has_maps(request: Any) -> bool:
    from .permissions import maps_visible_to

    return maps_visible_to(request.user).exists()


class NetworksConfig(AppConfig):
    name = "osallisuus.networks"
    label = "networks"
    verbose_name = _("Networked work")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate
        from django.utils.translation import ngettext

        from osallisuus.core import schedule
        from osallisuus.core.navigation import HomeEntry, NavEntry, QueueEntry, register, register_home, register_queue
        from osallisuus.core.notifications import Kind, register_kind
        from osallisuus.measurement import services as measurement

        from . import selectors
        from .permissions import P

        schedule.register(
            "networks.monthly_snapshots", "osallisuus.networks.tasks.monthly_snapshots_task", every=dt.timedelta(days=1)
        )
        post_migrate.connect(import_evaluation_instrument, sender=self, dispatch_uid="networks_evaluation_instrument")
        measurement.register_context_link("networks", network_link)

        register_kind(Kind("networks.notes", _("Notes of a network meeting are published")))

        register(NavEntry("networks:home", _("Networks"), order=45, when=_takes_part))
        register_home(
            HomeEntry(
                "network_coordinator",
                "networks:mine",
                _("My networks"),
                _("Members, meetings with the rotating host, goals, resources and the picture of each network."),
                permission=P.COORDINATE,
                order=45,
            )
        )
        register_home(
            HomeEntry(
                "network_member",
                "networks:mine",
                _("My networks"),
                _("The networks you take part in: meetings, notes, your role and whom you work with."),
                permission=P.TAKE_PART,
                order=45,
            )
        )
        for role in ("participant", "own_worker"):
            register_home(
                HomeEntry(
                    role,
                    "networks:maps",
                    _("Personal network map"),
                    _("The people around you on three circles: who supports, what has changed."),
                    order=46,
                )
            )
        register_queue(
            QueueEntry(
                key="networks.closing",
                label=lambda n: (
                    ngettext(
                        "%(n)d project network is near its end: close it?",
                        "%(n)d project networks are near their end: close them?",
                        n,
                    )
                    % {"n": n}
                ),
                url_name="networks:mine",
                count=lambda request: selectors.closing_due_count(actor=request.user),  # type: ignore[arg-type]
                permission=P.COORDINATE,
                order=45,
            )
        )
        register_queue(
            QueueEntry(
                key="networks.attendance",
                label=lambda n: (
                    ngettext(
                        "Attendance of %(n)d network meeting is not recorded yet",
                        "Attendance of %(n)d network meetings is not recorded yet",
                        n,
                    )
                    % {"n": n}
                ),
                url_name="networks:mine",
                count=lambda request: selectors.attendance_missing_count(actor=request.user),  # type: ignore[arg-type]
                permission=P.COORDINATE,
                order=46,
            )
        )
