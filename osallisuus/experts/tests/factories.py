"""The experts world of the tests: Eero and Päivi as trained experts of "ngo", the Kokoa 2018
table in force for "ngo", Sari's request at "county" with Jussi as the lähityöntekijä."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from osallisuus.experts import services
from osallisuus.experts.models import ExperienceArea, Expert, FeeSchedule, TaskRequest, TaskType, TrainingCourse

SECRET_DIAGNOSIS = "Kaksisuuntainen mielialahäiriö (salainen)"
SECRET_STORY = "Tarinani alkoi vuonna 2009 (salainen tarina)"


@dataclass
class World:
    personas: Any
    eero: Expert
    paivi: Expert
    schedule: FeeSchedule

    def request(self, *, starts_in: dt.timedelta = dt.timedelta(days=7), places: int = 1, **extra: Any) -> TaskRequest:
        fields: dict[str, Any] = {
            "broker": self.personas.organisations["ngo"],
            "task_type": TaskType.objects.get(code="lecture"),
            "title": "Luento mielenterveydestä",
            "description": "Kokemuspuheenvuoro sosiaalialan opiskelijoille.",
            "starts_at": timezone.now() + starts_in,
            "duration_minutes": 90,
            "remote": False,
            "address": "Kirkkokatu 1, Järvilahti",
            "region": "Järvi-Suomi",
            "experience_area": ExperienceArea.objects.get(code="mental_health"),
            "language": "fi",
            "partner_worker": self.personas.partner_worker,
            "places": places,
        }
        fields.update(extra)
        request = services.request_file(
            actor=self.personas.orderer, organisation=self.personas.organisations["county"], **fields
        )
        return services.request_review(
            actor=self.personas.coordinator, request=request, approve=True, fee_item_code=extra.get("fee", "event")
        )


def make_expert(user: Any, organisation: Any, *, trained: bool = True, **fields: Any) -> Expert:
    expert = Expert.objects.create(
        user=user,
        organisation=organisation,
        region=fields.pop("region", "Järvi-Suomi"),
        languages=fields.pop("languages", ",fi,sv,"),
        **fields,
    )
    expert.experience_areas.set([ExperienceArea.objects.get(code="mental_health")])
    if trained:
        TrainingCourse.objects.create(
            expert=expert,
            title="Kokemusasiantuntijakoulutus",
            organiser="Kokoa ry",
            hours=Decimal("60"),
            months=5,
            contact_days=8,
            completed_on=dt.date(2024, 5, 31),
        )
        services.training_totals_refresh(expert=expert)
    return expert


def build_world(personas: Any) -> World:
    ngo = personas.organisations["ngo"]
    example = FeeSchedule.objects.get(organisation__isnull=True, name__startswith="Kokoa")
    schedule = services.fee_schedule_copy(example=example, organisation=ngo, valid_from=dt.date(2018, 1, 1))
    eero = make_expert(personas.expert, ngo, diagnoses=SECRET_DIAGNOSIS, story=SECRET_STORY)
    paivi = make_expert(personas.expert2, ngo, diagnoses=SECRET_DIAGNOSIS, story=SECRET_STORY)
    return World(personas=personas, eero=eero, paivi=paivi, schedule=schedule)
