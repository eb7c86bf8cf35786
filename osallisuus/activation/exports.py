"""The plan as a FHIR CarePlan with its Goals (R4B JSON), as a PDF, and meetings as iCalendar.

FHIR: a ``Bundle`` of type ``collection`` with one ``CarePlan`` (status, intent "plan", the
plan's sections as description and notes, the activities the participant has chosen) and
one ``Goal`` per goal (lifecycleStatus and achievementStatus from FHIR's own code systems,
the basket as a category, ``expressedBy`` the person who wrote it, target and review dates,
progress notes). Every resource is validated with the ``fhir.resources`` models before it
leaves the service.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils import timezone
from icalendar import Calendar, Event

from .models import Basket, Goal, Meeting, Plan, SignUp

if TYPE_CHECKING:
    from osallisuus.accounts.models import User

BASKET_SYSTEM = "https://osallisuus.fi/fhir/CodeSystem/activation-basket"
ACHIEVEMENT_SYSTEM = "http://terminology.hl7.org/CodeSystem/goal-achievement"
PERSON_SYSTEM = "https://osallisuus.fi/fhir/NamingSystem/user"
NAMESPACE = uuid.UUID("6f1c1f49-7d6e-4b58-9d0c-3a53c4d0a3f1")

PLAN_STATUS = {Plan.Status.ACTIVE: "active", Plan.Status.RESTING: "on-hold", Plan.Status.CLOSED: "completed"}
SIGNUP_STATUS = {SignUp.Status.SIGNED_UP: "scheduled", SignUp.Status.WAITING: "not-started"}


def _urn(kind: str, pk: int) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{kind}:{pk}')}"


def _person(user: User | None) -> dict[str, Any]:
    if user is None:
        return {"display": "-"}
    return {"identifier": {"system": PERSON_SYSTEM, "value": str(user.pk)}, "display": user.full_name}


def _time(value: dt.datetime) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


def goal_resource(goal: Goal, *, subject: dict[str, Any]) -> dict[str, Any]:
    labels = dict(Basket.choices)
    resource: dict[str, Any] = {
        "resourceType": "Goal",
        "id": f"goal-{goal.pk}",
        "meta": {"versionId": str(goal.version), "lastUpdated": _time(goal.updated_at)},
        "lifecycleStatus": goal.lifecycle_status,
        "achievementStatus": {
            "coding": [{"system": ACHIEVEMENT_SYSTEM, "code": goal.achievement_status}],
            "text": str(goal.get_achievement_status_display()),
        },
        "category": [{"coding": [{"system": BASKET_SYSTEM, "code": goal.basket, "display": str(labels[goal.basket])}]}],
        "description": {"text": goal.title},
        "subject": subject,
        "startDate": goal.start_on.isoformat(),
        "statusDate": timezone.localtime(goal.updated_at).date().isoformat(),
        "expressedBy": _person(goal.expressed_by),
    }
    if goal.target_on:
        resource["target"] = [{"dueDate": goal.target_on.isoformat()}]
    notes = []
    if goal.description:
        notes.append({"text": goal.description})
    if goal.review_on:
        notes.append({"text": f"Review: {goal.review_on.isoformat()}"})
    notes += [{"text": n.text, "time": _time(n.created_at)} for n in goal.notes.all()]
    if notes:
        resource["note"] = notes
    return resource


def plan_fhir_bundle(plan: Plan, *, own_worker: User | None = None) -> dict[str, Any]:
    """The plan as a FHIR R4B Bundle (CarePlan + Goals), validated with ``fhir.resources``."""
    # The FHIR models are large pydantic classes: loaded when a plan is exported, not at start-up.
    from fhir.resources.R4B.bundle import Bundle  # noqa: PLC0415 - heavy, loaded only for an export
    from fhir.resources.R4B.careplan import CarePlan  # noqa: PLC0415 - heavy, loaded only for an export
    from fhir.resources.R4B.goal import Goal as FhirGoal  # noqa: PLC0415 - heavy, loaded only for an export

    subject = _person(plan.participant)
    goals = list(plan.goals.select_related("expressed_by").prefetch_related("notes").all())
    goal_resources = [goal_resource(g, subject=subject) for g in goals]
    for resource in goal_resources:
        FhirGoal.model_validate(resource)
    signups = SignUp.objects.filter(participant_id=plan.participant_id).exclude(status=SignUp.Status.CANCELLED)
    activities = [
        {
            "detail": {
                "status": SIGNUP_STATUS[SignUp.Status(s.status)],
                "code": {"text": s.activity.title},
                "description": f"{s.activity.schedule}, {s.activity.area}",
            }
        }
        for s in signups.select_related("activity")
    ]
    notes = [
        {"text": f"{label}: {value}"}
        for label, value in (
            ("About me", plan.about_me),
            ("What matters to me", plan.what_matters),
            ("What I am good at", plan.strengths),
            ("Support and services", plan.support),
        )
        if value
    ]
    careplan: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": f"plan-{plan.pk}",
        "meta": {"lastUpdated": _time(plan.updated_at)},
        "status": PLAN_STATUS[Plan.Status(plan.status)],
        "intent": "plan",
        "title": "Osallisuus: one plan",
        "description": plan.next_step or "The participant's own plan.",
        "subject": subject,
        "period": {"start": timezone.localtime(plan.created_at).date().isoformat()},
        "created": _time(plan.created_at),
        "author": subject,
        "goal": [{"reference": _urn("goal", g.pk)} for g in goals],
    }
    if own_worker is not None:
        careplan["contributor"] = [subject, _person(own_worker)]
    if activities:
        careplan["activity"] = activities
    if notes:
        careplan["note"] = notes
    CarePlan.model_validate(careplan)
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": _time(timezone.now()),
        "entry": [{"fullUrl": _urn("plan", plan.pk), "resource": careplan}]
        + [{"fullUrl": _urn("goal", g.pk), "resource": r} for g, r in zip(goals, goal_resources, strict=True)],
    }
    Bundle.model_validate(bundle)
    return bundle


def meeting_ics(meeting: Meeting, *, site: str = "osallisuus") -> bytes:
    """An iCalendar invitation for an agreed meeting."""
    assert meeting.starts_at is not None
    cal = Calendar()
    cal.add("prodid", "-//Osallisuus//activation//FI")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{site}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.starts_at + dt.timedelta(minutes=meeting.duration_minutes))
    event.add("summary", "Osallisuus: tapaaminen / möte / meeting")
    event.add("description", meeting.topic)
    if meeting.place:
        event.add("location", meeting.place)
    event.add("sequence", int(meeting.updated_at.timestamp()) % 100000)
    cal.add_component(event)
    return cal.to_ical()


def plan_pdf(context: dict[str, Any]) -> bytes:
    """The plan as a printable PDF in plain language (WeasyPrint, no network access)."""
    from weasyprint import HTML  # noqa: PLC0415 - WeasyPrint (with its fonts) loads only when a PDF is made

    html = render_to_string("activation/plan_pdf.html", context)
    return HTML(string=html, base_url=None).write_pdf()
