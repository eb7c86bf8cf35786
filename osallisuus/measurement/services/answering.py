"""Answering: the public service API other modules use, and the rules of saving and sending.

* ``response_start(instrument_code=..., respondent=..., context_module=..., context_ref=...)``
  starts (or returns the unfinished) response of a person to the newest version of an
  instrument, e.g. the experts module's task feedback or the activation plan check-in.
  Send the person to ``response_url(response)``.
* ``register_context_link(module, resolver)``: from the module's ``AppConfig.ready``, how the
  respondent gets back from their answers to the module's page ("Back to the task").
* ``response_save(response=..., values={item_code: value}, texts={item_code: text})``
* ``response_submit(response=...)``: checks required items, computes the score.
* ``response_withdraw(response=..., actor=...)``: the respondent takes the answers back.
* ``response_share(response=..., respondent=..., worker=...)``: with one's own worker.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from osallisuus.accounts.selectors import has_relationship
from osallisuus.core import events

from .. import context_links, scoring
from ..models import Answer, Instrument, Invitation, Item, Response
from ..permissions import can_share_response
from ..selectors import answers_of, items_of
from .errors import AnswersInvalid, MeasurementError
from .instruments import instrument_newest

if TYPE_CHECKING:
    from osallisuus.accounts.models import Organisation, User

MAX_TEXT = 4000


def respondent_language(person: User | None, instrument: Instrument) -> str:
    wanted = getattr(person, "preferred_language", "") or settings.LANGUAGE_CODE
    if wanted in instrument.languages:
        return wanted
    return instrument.languages[0] if instrument.languages else "fi"


def response_for_invitation(invitation: Invitation) -> Response:
    """The invitation's response, made the first time it is opened."""
    response = Response.objects.filter(invitation=invitation).first()
    if response is None:
        round_ = invitation.round
        response = Response(
            instrument=round_.instrument,
            round=round_,
            invitation=invitation,
            respondent=invitation.person,
            organisation=round_.organisation,
            context_module=round_.context_module,
            context_ref=round_.context_ref,
            area=round_.area or invitation.person.municipality,
            language=respondent_language(invitation.person, round_.instrument),
        )
        response.save()
    return response


@transaction.atomic
def invitation_start(*, invitation: Invitation, person: User) -> Response:
    """Start (or continue) answering an in-app invitation as the logged-in person."""
    if invitation.person_id != person.pk:
        raise MeasurementError(_("This invitation is not yours."))
    if not invitation.round.is_open:
        raise MeasurementError(_("This questionnaire is not open now."))
    return response_for_invitation(invitation)


@transaction.atomic
def response_start(
    *,
    instrument_code: str,
    respondent: User,
    context_module: str,
    context_ref: str = "",
    organisation: Organisation | None = None,
    area: str = "",
) -> Response:
    """Start a person's response to the newest version of an instrument, for another module.

    Returns the unfinished response for the same instrument and context if there is one,
    so calling it twice does not make two.
    """
    instrument = instrument_newest(code=instrument_code)
    if instrument.kind != Instrument.Kind.QUESTIONNAIRE:
        raise MeasurementError(_("An external instrument is answered in its owner's service, not here."))
    if not context_module:
        raise MeasurementError(_("Say which module starts the response."))
    existing = Response.objects.filter(
        instrument=instrument,
        respondent=respondent,
        context_module=context_module,
        context_ref=context_ref,
        status=Response.Status.IN_PROGRESS,
        round__isnull=True,
    ).first()
    if existing is not None:
        return existing
    response = Response(
        instrument=instrument,
        respondent=respondent,
        organisation=organisation,
        context_module=context_module[:40],
        context_ref=context_ref[:100],
        area=area or respondent.municipality,
        language=respondent_language(respondent, instrument),
    )
    response.save()
    events.record(
        actor=respondent,
        verb="measurement.response.started",
        target=response,
        subject=respondent,
        data={"instrument": instrument.code, "module": context_module},
    )
    return response


def response_url(response: Response) -> str:
    """Where to send the respondent to answer (they must be logged in as themselves)."""
    return reverse("measurement:respond", kwargs={"response_id": response.pk})


def register_context_link(module: str, resolver: context_links.Resolver) -> None:
    """Give the respondents of ``module``'s responses a link back to the module's page.

    Call it from the module's ``AppConfig.ready``. ``resolver(context_ref, user)`` returns the
    translated label and a same-site path, or ``None`` when this user may not open that page
    (any more). It is called only for a logged-in respondent looking at their own answers; a
    link that is not a same-site path is dropped. Nothing is stored on the response."""
    context_links.register(module, resolver)


def check_values(
    *, instrument: Instrument, items: Iterable[Item], values: Mapping[str, Any], texts: Mapping[str, str]
) -> tuple[dict[str, int | None], dict[str, str], dict[str, str]]:
    """Clean answers against the scales: (values, texts, errors by item code)."""
    clean_values: dict[str, int | None] = {}
    clean_texts: dict[str, str] = {}
    errors: dict[str, str] = {}
    for item in items:
        if item.kind == Item.Kind.TEXT:
            text = str(texts.get(item.code, "") or "").replace("\x00", "").strip()
            if len(text) > MAX_TEXT:
                errors[item.code] = _("Shorten your answer to at most %(count)d characters.") % {"count": MAX_TEXT}
            else:
                clean_texts[item.code] = text
            continue
        raw = values.get(item.code)
        if raw is None or raw == "":
            clean_values[item.code] = None
            continue
        allowed = {p["value"] for p in instrument.scale(item.scale)["points"]}
        try:
            value = int(str(raw))
        except ValueError:
            value = None
        if value is None or value not in allowed:
            errors[item.code] = _("Choose one of the options.")
        else:
            clean_values[item.code] = value
    return clean_values, clean_texts, errors


def _locked(response: Response) -> Response:
    locked = Response.objects.select_for_update().select_related("instrument").get(pk=response.pk)
    if locked.status != Response.Status.IN_PROGRESS:
        raise MeasurementError(_("These answers have already been sent or withdrawn."), code="not_in_progress")
    return locked


@transaction.atomic
def response_save(
    *,
    response: Response,
    values: Mapping[str, Any],
    texts: Mapping[str, str] | None = None,
    one_per_screen: bool | None = None,
    position: int | None = None,
) -> Response:
    """Save answers given so far (save and continue). Answers out of scale change nothing.

    ``one_per_screen`` and ``position`` remember how the person was answering and at which
    question, so opening the questionnaire again continues where they stopped."""
    response = _locked(response)
    items = [i for i in items_of(response.instrument_id) if i.code in values or i.code in (texts or {})]
    clean_values, clean_texts, errors = check_values(
        instrument=response.instrument, items=items, values=values, texts=texts or {}
    )
    if errors:
        raise AnswersInvalid(errors)
    by_code = {i.code: i for i in items}
    existing = {a.item_id: a for a in Answer.objects.filter(response=response, item__in=items)}
    for code, value in [*clean_values.items(), *clean_texts.items()]:
        item = by_code[code]
        answer = existing.get(item.pk)
        if value is None or value == "":
            if answer is not None:
                answer.delete()
            continue
        if answer is None:
            answer = Answer(response=response, item=item)
        if isinstance(value, int):
            answer.value = value
        else:
            answer.text = value
        answer.save()
    fields = ["updated_at"]
    if one_per_screen is not None:
        response.one_per_screen = one_per_screen
        fields.append("one_per_screen")
    if position is not None:
        response.resume_position = max(1, position)
        fields.append("resume_position")
    response.save(update_fields=fields)
    return response


def score_of(*, instrument: Instrument, values: Mapping[str, int | None]) -> scoring.Score:
    return scoring.compute(
        method=instrument.scoring,
        transform=instrument.transform,
        bands=instrument.bands,
        rules=scoring.rules_from_definition(instrument.definition),
        values=values,
    )


@transaction.atomic
def response_submit(*, response: Response, answered_at: datetime | None = None) -> Response:
    """Send the answers: every required item must be answered. The score is computed now.

    ``answered_at`` is for answers given earlier than they reach the platform (the demo's
    history, a paper form typed in later); it may not be in the future. Reports count the
    answer in the period it was given.
    """
    response = _locked(response)
    given = answers_of(response)
    missing = {
        item.code: _("Answer this question, please.")
        for item in items_of(response.instrument_id)
        if item.required and given.get(item.code) in (None, "")
    }
    if missing:
        raise AnswersInvalid(missing)
    now = timezone.now()
    if answered_at is not None and answered_at > now:
        raise MeasurementError(_("The answers cannot have been given in the future."))
    result = score_of(instrument=response.instrument, values={k: v for k, v in given.items() if isinstance(v, int)})
    response.status = Response.Status.SUBMITTED
    response.submitted_at = answered_at or now
    response.raw_score, response.score, response.band = result.raw, result.score, result.band
    response.save()
    if response.invitation_id:
        Invitation.objects.filter(pk=response.invitation_id).update(token_used_at=now)
    events.record(
        actor=response.respondent, verb="measurement.response.submitted", target=response, subject=response.respondent
    )
    return response


@transaction.atomic
def response_withdraw(*, response: Response, actor: User | None) -> Response:
    """The respondent takes the answers back: the answers are deleted and leave every report."""
    response = Response.objects.select_for_update().get(pk=response.pk)
    if response.status == Response.Status.WITHDRAWN:
        return response
    Answer.objects.filter(response=response).delete()
    response.status = Response.Status.WITHDRAWN
    response.withdrawn_at = timezone.now()
    response.raw_score = response.score = None
    response.band = ""
    response.shared_with = None
    response.save()
    if response.invitation_id:
        Invitation.objects.filter(pk=response.invitation_id).update(token_used_at=response.withdrawn_at)
    events.record(actor=actor, verb="measurement.response.withdrawn", target=response, subject=response.respondent)
    return response


@transaction.atomic
def response_share(*, response: Response, respondent: User, worker: User | None) -> Response:
    """Share one's own answers with one of one's own workers, or stop sharing (``worker=None``)."""
    response = Response.objects.select_for_update().select_related("instrument").get(pk=response.pk)
    if worker is not None:
        decision = can_share_response(respondent, response)
        if not decision:
            raise MeasurementError(decision.reason, field="worker")
        if not has_relationship(worker=worker, person_id=respondent.pk):
            raise MeasurementError(_("You can share your answers only with your own worker."), field="worker")
    elif response.respondent_id != respondent.pk:
        raise MeasurementError(_("Only the person who answered can share the answers."))
    response.shared_with = worker
    response.save(update_fields=["shared_with", "updated_at"])
    events.record(
        actor=respondent,
        verb="measurement.response.shared" if worker else "measurement.response.unshared",
        target=response,
        subject=respondent,
    )
    return response
