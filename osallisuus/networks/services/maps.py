"""Maps."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallisuus.accounts import selectors as accounts
from osallisuus.core import events
from osallisuus.core.errors import Conflict

from .. import permissions
from ..models import (
    MapPerson,
    MapVersion,
    PersonalMap,
    Quality,
    Sector,
)

if TYPE_CHECKING:
    from osallisuus.accounts.models import User
from .base import NetworkRefusal, _check_decision


# -- personal network maps -------------------------------------------------------------------------
@transaction.atomic
def map_create(*, actor: User, title: str) -> PersonalMap:
    title = " ".join((title or "").split())
    if not title:
        raise NetworkRefusal(_("Give the map a name."), field="title", code="required")
    personal_map = PersonalMap(owner=actor, title=title)
    personal_map.full_clean()
    personal_map.save()
    MapVersion.objects.create(map=personal_map, made_on=timezone.localdate())
    return personal_map


def latest_version(personal_map: PersonalMap) -> MapVersion:
    version = personal_map.versions.order_by("-made_on", "-pk").first()
    assert version is not None
    return version


@transaction.atomic
def map_person_add(*, actor: User, personal_map: PersonalMap, data: dict[str, Any]) -> MapPerson:
    _check_decision(permissions.can_edit_map(actor, personal_map))
    name = " ".join(str(data.get("name") or "").split())
    if not name:
        raise NetworkRefusal(_("Write the person's name or how you call them."), field="name", code="required")
    if data.get("sector") not in Sector.values:
        raise NetworkRefusal(_("Choose the sector the person belongs to."), field="sector", code="sector_needed")
    try:
        circle = int(data.get("circle") or 0)
    except (TypeError, ValueError):
        circle = 0
    if circle not in MapPerson.Circle.values:
        raise NetworkRefusal(_("Choose how close the person is."), field="circle", code="circle_needed")
    if data.get("quality") not in Quality.values:
        raise NetworkRefusal(_("Choose how the relationship is."), field="quality", code="quality_needed")
    person = MapPerson(
        version=latest_version(personal_map),
        name=name,
        sector=data["sector"],
        circle=circle,
        support=str(data.get("support") or "").strip(),
        quality=data["quality"],
    )
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def map_person_remove(*, actor: User, person: MapPerson) -> None:
    _check_decision(permissions.can_edit_map(actor, person.version.map))
    if person.version_id != latest_version(person.version.map).pk:
        raise Conflict(_("An earlier version is kept as it was."), code="old_version")
    person.delete()


@transaction.atomic
def map_version_new(*, actor: User, personal_map: PersonalMap, note: str = "", on: dt.date | None = None) -> MapVersion:
    """A new version for today, starting from the latest one (the earlier stays as it was)."""
    _check_decision(permissions.can_edit_map(actor, personal_map))
    on = on or timezone.localdate()
    previous = latest_version(personal_map)
    if on < previous.made_on:
        raise NetworkRefusal(_("A new version cannot be older than the latest one."), field="made_on", code="older")
    version = MapVersion.objects.create(map=personal_map, made_on=on, note=note.strip()[:300])
    MapPerson.objects.bulk_create(
        [
            MapPerson(
                version=version, name=p.name, sector=p.sector, circle=p.circle, support=p.support, quality=p.quality
            )
            for p in previous.people.all()
        ]
    )
    return version


@transaction.atomic
def map_share(*, actor: User, personal_map: PersonalMap, worker_id: int | None) -> PersonalMap:
    """Share with one of one's own workers, or stop sharing (``None``)."""
    _check_decision(permissions.can_share_map(actor, personal_map))
    if worker_id is not None and not accounts.workers_of(person_id=actor.pk).filter(pk=worker_id).exists():
        raise NetworkRefusal(_("A map can be shared only with your own worker."), field="worker", code="not_worker")
    personal_map.shared_with_id = worker_id
    personal_map.save(update_fields=["shared_with", "updated_at"])
    events.record(actor=actor, verb="networks.map.share", target=personal_map, data={"shared": worker_id is not None})
    return personal_map
