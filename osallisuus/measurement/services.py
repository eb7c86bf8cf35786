"""Writes of the measurement module. Other modules use this engine through these functions.

The public service API (documented in docs/measurement.md):

* ``response_start(instrument_code=..., respondent=..., context_module=..., context_ref=...)``
  starts (or returns the unfinished) response of a person to the newest version of an
  instrument, e.g. the experts module's task feedback or the activation plan check-in.
  Send the person to ``response_url(response)``.
* ``register_context_link(module, resolver)``: from the module's ``AppConfig.ready``, how the
  respondent gets back from their answers to the module's page ("Back to the task").
* ``response_save(response=..., values={item_code: value}, texts={item_code: text})``
* ``response_submit(response=...)``: checks required items, computes the score.
* ``response_withdraw(response=..., actor=...)``: the respondent takes the answers back.
* ``external_assessment_record(...)``: Kykyviisari or AVAIN was done; where the result is.
* Instruments: ``instrument_import(raw=..., actor=...)``, ``instrument_export(instrument=...)``.
* Rounds: ``round_create``, ``round_invite``, ``invitation_issue_link``, ``link_open``.
"""

from __future__ import annotations

import csv
import hashlib
import json
import secrets
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from osallisuus.core import events
from osallisuus.core.errors import Refusal

from . import context_links, scoring
from . import definition as fmt
from .models import Answer, ExternalAssessment, Instrument, Invitation, Item, Response, Round

if TYPE_CHECKING:
    from osallisuus.accounts.models import Organisation, User


class MeasurementError(Refusal):
    """A refusal the user can understand; the message is shown as it is."""


class InstrumentVersionConflict(MeasurementError):
    pass


class LinkInvalid(MeasurementError):
    pass


class AnswersInvalid(MeasurementError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(_("Some answers need checking."))
        self.errors = errors


# -- instruments ----------------------------------------------------------------------------
@dataclass(frozen=True)
class ImportResult:
    instrument: Instrument
    created: bool


@transaction.atomic
def instrument_import(*, raw: bytes | str, actor: User | None) -> ImportResult:
    """Import one instrument file. Nothing is saved when the file has any problem.

    The same version again with the same content answers ``created=False``; the same
    version with different content is refused (a new version needs a new version number).
    """
    definition = fmt.parse(raw)
    fingerprint = fmt.fingerprint(definition)
    existing = (
        Instrument.objects.select_for_update().filter(code=definition["code"], version=definition["version"]).first()
    )
    if existing is not None:
        if existing.source_sha256 == fingerprint:
            return ImportResult(existing, False)
        raise InstrumentVersionConflict(
            _(
                "Version %(version)s of the instrument %(code)s has already been imported with different content. "
                "An imported instrument is locked: give the changed file a new version number."
            )
            % {"version": definition["version"], "code": definition["code"]}
        )
    score_min = score_max = None
    if definition["scoring"]["method"] != "none":
        low, high = fmt.score_range(definition)
        score_min, score_max = scoring.to_decimal(low, 4), scoring.to_decimal(high, 4)
    instrument = Instrument(
        code=definition["code"],
        version=definition["version"],
        kind=definition["kind"],
        name=definition["name"],
        owner=definition["owner"],
        licence=definition["licence"],
        attribution=definition["attribution"],
        instructions=definition["instructions"],
        purpose=definition["purpose"],
        languages=definition["languages"],
        url=definition["url"],
        is_validated_scale=definition["validated_scale"],
        is_demo=definition["demo"],
        group_reporting_only=definition["group_reporting_only"],
        allow_sharing_with_worker=definition["allow_sharing_with_worker"],
        scoring=definition["scoring"]["method"],
        transform=definition["scoring"]["transform"],
        score_min=score_min,
        score_max=score_max,
        bands=definition["bands"],
        scales=definition["scales"],
        definition=definition,
        source_sha256=fingerprint,
    )
    instrument.full_clean()
    instrument.save()
    Item.objects.bulk_create(
        Item(
            instrument=instrument,
            code=item["code"],
            order=position,
            kind=item["kind"],
            text=item["text"],
            help=item["help"],
            scale=item["scale"],
            required=item["required"],
            reverse=item["reverse"],
            scored=item["scored"],
        )
        for position, item in enumerate(definition["items"], start=1)
    )
    events.record(
        actor=actor, verb="measurement.instrument_imported", target=instrument, data={"code": instrument.code}
    )
    return ImportResult(instrument, True)


def instrument_export(*, instrument: Instrument) -> bytes:
    """The instrument file: the canonical definition that was imported, keys in the format's order
    (PostgreSQL's jsonb does not keep key order, so the stored definition is put in order again)."""
    return fmt.canonical_bytes(fmt.parse(json.dumps(instrument.definition, ensure_ascii=False)))


def instrument_newest(*, code: str) -> Instrument:
    instrument = Instrument.objects.filter(code=code, is_active=True).order_by("-created_at", "-pk").first()
    if instrument is None:
        raise MeasurementError(_("There is no instrument with the code %(code)s.") % {"code": code})
    return instrument


# -- rounds and invitations -----------------------------------------------------------------
def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def round_create(
    *,
    actor: User | None,
    instrument: Instrument,
    organisation: Organisation,
    name: str,
    group_key: str,
    purpose: str,
    opens_at: datetime,
    closes_at: datetime,
    retention_until: date,
    group_kind: str = Round.GroupKind.OTHER,
    phase: int = 0,
    context_module: str = "",
    context_ref: str = "",
    area: str = "",
    retention_action: str = Round.RetentionAction.ANONYMISE,
    min_cell_size: int | None = None,
    link_valid_days: int = 14,
) -> Round:
    if instrument.kind != Instrument.Kind.QUESTIONNAIRE:
        raise MeasurementError(_("An external instrument is answered in its owner's service, not in a round here."))
    if closes_at <= opens_at:
        raise MeasurementError(_("The round must close after it opens."))
    if retention_until < closes_at.date():
        raise MeasurementError(_("The answers must be kept at least until the round closes."))
    round_ = Round(
        instrument=instrument,
        organisation=organisation,
        name=name,
        group_kind=group_kind,
        group_key=group_key,
        phase=phase,
        context_module=context_module,
        context_ref=context_ref,
        area=area,
        purpose=purpose,
        opens_at=opens_at,
        closes_at=closes_at,
        retention_until=retention_until,
        retention_action=retention_action,
        min_cell_size=min_cell_size or settings.SUPPRESSION_MIN_CELL_SIZE,
        link_valid_days=link_valid_days,
    )
    round_.full_clean()
    round_.save()
    events.record(actor=actor, verb="measurement.round_created", target=round_)
    return round_


@transaction.atomic
def round_invite(*, actor: User | None, round: Round, people: Iterable[User]) -> list[Invitation]:
    """Invite people to a round (each once). They see it under Questionnaires in the app."""
    existing = set(Invitation.objects.filter(round=round).values_list("person_id", flat=True))
    created = [Invitation(round=round, person=p) for p in people if p.pk not in existing]
    Invitation.objects.bulk_create(created)
    if created:
        events.record(actor=actor, verb="measurement.invited", target=round, data={"count": len(created)})
    return created


def invitation_issue_link(*, invitation: Invitation) -> str:
    """A new personal link token (shown once; only its hash is kept). Replaces an earlier link."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    expires = min(now + timedelta(days=invitation.round.link_valid_days), invitation.round.closes_at)
    invitation.token_hash = _hash(token)
    invitation.token_expires_at = expires
    invitation.token_used_at = None
    invitation.sent_at = invitation.sent_at or now
    invitation.save(update_fields=["token_hash", "token_expires_at", "token_used_at", "sent_at", "updated_at"])
    return token


def link_url(token: str) -> str:
    return reverse("measurement:link", kwargs={"token": token})


@transaction.atomic
def link_open(*, token: str) -> Response:
    """The response a personal link leads to. A link works until its answers are sent or it expires."""
    if not token or len(token) > 100:
        raise LinkInvalid(_("This link is not valid. Check that you copied the whole address."))
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("round__instrument", "person")
        .filter(token_hash=_hash(token))
        .first()
    )
    if invitation is None:
        raise LinkInvalid(_("This link is not valid. Check that you copied the whole address."))
    if invitation.token_used_at is not None:
        raise LinkInvalid(_("This link has already been used to send answers. Thank you!"))
    now = timezone.now()
    if invitation.token_expires_at is None or invitation.token_expires_at < now or invitation.round.closes_at < now:
        raise LinkInvalid(_("This link has expired. Ask the person who invited you for a new one."))
    if invitation.round.opens_at > now:
        raise LinkInvalid(_("This questionnaire has not opened yet. Try again later."))
    return _response_for_invitation(invitation)


def _response_for_invitation(invitation: Invitation) -> Response:
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
            language=_respondent_language(invitation.person, round_.instrument),
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
    return _response_for_invitation(invitation)


def _respondent_language(person: User | None, instrument: Instrument) -> str:
    wanted = getattr(person, "preferred_language", "") or settings.LANGUAGE_CODE
    if wanted in instrument.languages:
        return wanted
    return instrument.languages[0] if instrument.languages else "fi"


# -- responses: the public service API ---------------------------------------------------------
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
        language=_respondent_language(respondent, instrument),
    )
    response.save()
    events.record(
        actor=respondent,
        verb="measurement.response_started",
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


def _items(response: Response) -> list[Item]:
    return list(Item.objects.filter(instrument_id=response.instrument_id).order_by("order"))


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
            if len(text) > 4000:
                errors[item.code] = _("Shorten your answer to at most %(count)d characters.") % {"count": 4000}
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


@transaction.atomic
def response_save(*, response: Response, values: Mapping[str, Any], texts: Mapping[str, str] | None = None) -> Response:
    """Save answers given so far (save and continue). Answers out of scale change nothing."""
    response = Response.objects.select_for_update().select_related("instrument").get(pk=response.pk)
    if response.status != Response.Status.IN_PROGRESS:
        raise MeasurementError(_("These answers have already been sent or withdrawn."))
    items = [i for i in _items(response) if i.code in values or i.code in (texts or {})]
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
        empty = value is None or value == ""
        if empty:
            if answer is not None:
                answer.delete()
            continue
        if answer is None:
            answer = Answer(response=response, item=item)
        if item.kind == Item.Kind.TEXT:
            answer.text = str(value)
        else:
            answer.value = int(value)  # type: ignore[arg-type]
        answer.save()
    response.save(update_fields=["updated_at"])
    return response


def answers_of(response: Response) -> dict[str, Any]:
    """The saved answers by item code (value for choices, text for free text)."""
    found: dict[str, Any] = {}
    for answer in Answer.objects.filter(response=response).select_related("item"):
        found[answer.item.code] = answer.text if answer.item.kind == Item.Kind.TEXT else answer.value
    return found


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
    response = Response.objects.select_for_update().select_related("instrument").get(pk=response.pk)
    if response.status != Response.Status.IN_PROGRESS:
        raise MeasurementError(_("These answers have already been sent or withdrawn."))
    given = answers_of(response)
    missing = {
        item.code: _("Answer this question, please.")
        for item in _items(response)
        if item.required and given.get(item.code) in (None, "")
    }
    if missing:
        raise AnswersInvalid(missing)
    result = score_of(
        instrument=response.instrument,
        values={k: v for k, v in given.items() if isinstance(v, int)},
    )
    now = timezone.now()
    if answered_at is not None and answered_at > now:
        raise MeasurementError(_("The answers cannot have been given in the future."))
    response.status = Response.Status.SUBMITTED
    response.submitted_at = answered_at or now
    response.raw_score, response.score, response.band = result.raw, result.score, result.band
    response.save()
    if response.invitation_id:
        Invitation.objects.filter(pk=response.invitation_id).update(token_used_at=now)
    events.record(
        actor=response.respondent,
        verb="measurement.response_submitted",
        target=response,
        subject=response.respondent,
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
    events.record(actor=actor, verb="measurement.response_withdrawn", target=response, subject=response.respondent)
    return response


@transaction.atomic
def response_share(*, response: Response, respondent: User, worker: User | None) -> Response:
    """Share one's own answers with one of one's own workers, or stop sharing (``worker=None``)."""
    if response.respondent_id != respondent.pk:
        raise MeasurementError(_("Only the person who answered can share the answers."))
    if worker is not None:
        if response.instrument.group_reporting_only or not response.instrument.allow_sharing_with_worker:
            raise MeasurementError(_("The answers to this questionnaire cannot be shared with a worker."))
        from osallisuus.accounts.models import Relationship

        if not Relationship.objects.current().filter(person=respondent, worker=worker).exists():
            raise MeasurementError(_("You can share your answers only with your own worker."))
    response.shared_with = worker
    response.save(update_fields=["shared_with", "updated_at"])
    events.record(
        actor=respondent,
        verb="measurement.response_shared" if worker else "measurement.response_unshared",
        target=response,
        subject=respondent,
    )
    return response


# -- external instruments -----------------------------------------------------------------------
@transaction.atomic
def external_assessment_record(
    *,
    actor: User,
    instrument: Instrument,
    person: User,
    organisation: Organisation,
    done_on: date,
    result_location: str,
) -> ExternalAssessment:
    if instrument.kind != Instrument.Kind.EXTERNAL:
        raise MeasurementError(_("Only external instruments are recorded this way."))
    if done_on > timezone.localdate():
        raise MeasurementError(_("The date cannot be in the future."))
    record = ExternalAssessment(
        instrument=instrument,
        person=person,
        organisation=organisation,
        done_on=done_on,
        result_location=result_location.strip(),
        recorded_by=actor,
    )
    try:
        record.full_clean()
    except ValidationError as exc:
        raise MeasurementError(" ".join(exc.messages)) from None
    record.save()
    events.record(actor=actor, verb="measurement.external_recorded", target=record, subject=person)
    return record


# -- retention and reminders ----------------------------------------------------------------
RETENTION_DAYS_DEFAULT = 3 * 365
"""How long responses started by other modules (outside rounds) are kept before anonymisation;
``settings.MEASUREMENT_RETENTION_DAYS`` overrides it."""


def retention_apply(*, today: date | None = None) -> dict[str, int]:
    """Rounds past their retention date: delete the answers, or cut the link to people.
    Responses outside rounds: anonymised (sent) or deleted (unfinished) after the retention days."""
    today = today or timezone.localdate()
    done = {"deleted": 0, "anonymised": 0}
    for round_ in Round.objects.filter(retention_until__lt=today, retention_done_at__isnull=True):
        with transaction.atomic():
            responses = Response.objects.filter(round=round_)
            if round_.retention_action == Round.RetentionAction.DELETE:
                Answer.objects.filter(response__round=round_).delete()
                done["deleted"] += responses.count()
                responses.delete()
            else:
                Answer.objects.filter(response__round=round_, item__kind=Item.Kind.TEXT).delete()
                done["anonymised"] += responses.update(
                    respondent=None, invitation=None, shared_with=None, context_ref="", anonymised_at=timezone.now()
                )
            Invitation.objects.filter(round=round_).delete()
            round_.retention_done_at = timezone.now()
            round_.save(update_fields=["retention_done_at", "updated_at"])
            events.record(actor=None, verb="measurement.retention_applied", target=round_, data=done)
    # Responses started by other modules (no round): anonymised after MEASUREMENT_RETENTION_DAYS;
    # unfinished ones are deleted after the same time.
    days = getattr(settings, "MEASUREMENT_RETENTION_DAYS", RETENTION_DAYS_DEFAULT)
    cutoff = timezone.make_aware(datetime.combine(today, datetime.min.time())) - timedelta(days=days)
    with transaction.atomic():
        stale = Response.objects.filter(round__isnull=True, created_at__lt=cutoff)
        unfinished = stale.exclude(status=Response.Status.SUBMITTED)
        done["deleted"] += unfinished.count()
        Answer.objects.filter(response__in=unfinished).delete()
        unfinished.delete()
        sent = stale.filter(status=Response.Status.SUBMITTED, anonymised_at__isnull=True)
        Answer.objects.filter(response__in=sent, item__kind=Item.Kind.TEXT).delete()
        done["anonymised"] += sent.update(
            respondent=None, shared_with=None, context_ref="", anonymised_at=timezone.now()
        )
    return done


def reminders_due(*, round: Round, now: datetime | None = None) -> list[Invitation]:
    now = now or timezone.now()
    answered = Response.objects.filter(round=round).exclude(status=Response.Status.IN_PROGRESS)
    return list(
        Invitation.objects.filter(round=round)
        .exclude(pk__in=answered.values("invitation_id"))
        .exclude(reminded_at__gt=now - timedelta(days=3))
        .select_related("person", "round")
    )


def reminders_send(*, round: Round) -> int:
    """Remind the invited who have not sent their answers (at most every three days), by e-mail
    with a fresh personal link (the old link stops working)."""
    from django.core.mail import send_mail

    if not round.is_open:
        return 0
    sent = 0
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    for invitation in reminders_due(round=round):
        token = invitation_issue_link(invitation=invitation)
        body = _(
            'Hello,\n\nyou have been invited to answer the questionnaire "%(name)s". '
            "Answering is voluntary. You can answer with this personal link until %(date)s:\n\n%(url)s\n\n"
            "You can also log in and open Questionnaires."
        ) % {
            "name": round.instrument.display_name,
            "date": timezone.localtime(invitation.token_expires_at).strftime("%d.%m.%Y")
            if invitation.token_expires_at
            else "",
            "url": base + link_url(token),
        }
        send_mail(_("A reminder: questionnaire"), body, None, [invitation.person.email])
        Invitation.objects.filter(pk=invitation.pk).update(
            reminded_at=timezone.now(), reminder_count=invitation.reminder_count + 1
        )
        sent += 1
    return sent


# -- importing answers (paper forms, earlier systems) -------------------------------------------
@dataclass(frozen=True)
class AnswersImportResult:
    responses: int
    answers: int


BATCH = 1000


def answers_import(
    *, round: Round, stream: Iterable[str], actor: User | None, progress: Any = None
) -> AnswersImportResult:
    """Import answers from a CSV stream in constant memory, one respondent per row.

    Header: ``respondent`` (a code from the source, not a name) and one column per item
    code. All rows are checked and saved in one transaction: a problem on any row names
    the line and the column and nothing is saved.
    """
    instrument = round.instrument
    items = list(Item.objects.filter(instrument=instrument).order_by("order"))
    by_code = {i.code: i for i in items}
    rules = scoring.rules_from_definition(instrument.definition)
    allowed = {i.code: {p["value"] for p in instrument.scale(i.scale)["points"]} for i in items if i.scale}
    reader = csv.reader(_lines(stream))
    header = next(reader, None)
    if not header or header[0].strip().lstrip("\ufeff") != "respondent":
        raise MeasurementError(_('line 1: the first column must be "respondent".'))
    columns = [h.strip() for h in header[1:]]
    for position, code in enumerate(columns, start=2):
        if code not in by_code:
            raise MeasurementError(
                _('line 1, column %(column)d: there is no item "%(code)s" in this instrument.')
                % {"column": position, "code": code[:60]}
            )
    responses_done = answers_done = 0
    pending: list[tuple[Response, list[tuple[int, int | None, str]]]] = []
    batch_refs: dict[str, tuple[int, str]] = {}  # digest -> (line, code), this batch only
    now = timezone.now()
    with transaction.atomic():
        for row in reader:
            line = reader.line_num
            if not row or not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise MeasurementError(
                    _("line %(line)d: %(found)d columns, the header has %(expected)d.")
                    % {"line": line, "found": len(row), "expected": len(header)}
                )
            ref = row[0].strip()
            if not ref or len(ref) > 64:
                raise MeasurementError(
                    _("line %(line)d, column respondent: give a code of 1–64 characters.") % {"line": line}
                )
            digest = hashlib.sha256(ref.encode()).hexdigest()[:16]
            if digest in batch_refs:
                raise _twice(line, ref)
            batch_refs[digest] = (line, ref)
            values: dict[str, int | None] = {}
            answers: list[tuple[int, int | None, str]] = []
            for code, cell in zip(columns, row[1:], strict=True):
                cell = cell.strip()
                item = by_code[code]
                if not cell:
                    if item.required:
                        raise MeasurementError(
                            _("line %(line)d, column %(code)s: this answer is required.") % {"line": line, "code": code}
                        )
                    continue
                if item.kind == Item.Kind.TEXT:
                    answers.append((item.pk, None, cell[:4000]))
                    continue
                try:
                    value = int(cell)
                except ValueError:
                    value = None
                if value is None or value not in allowed[code]:
                    raise MeasurementError(
                        _('line %(line)d, column %(code)s: "%(value)s" is not on the scale.')
                        % {"line": line, "code": code, "value": cell[:20]}
                    )
                values[code] = value
                answers.append((item.pk, value, ""))
            result = scoring.compute(
                method=instrument.scoring,
                transform=instrument.transform,
                bands=instrument.bands,
                rules=rules,
                values=values,
            )
            response = Response(
                instrument=instrument,
                round=round,
                external_ref=digest,
                organisation_id=round.organisation_id,
                context_module=round.context_module,
                context_ref=round.context_ref,
                area=round.area,
                status=Response.Status.SUBMITTED,
                submitted_at=now,
                raw_score=result.raw,
                score=result.score,
                band=result.band,
            )
            pending.append((response, answers))
            if len(pending) >= BATCH:
                a, b = _flush(pending)
                _check_twice(round, batch_refs)
                responses_done, answers_done = responses_done + a, answers_done + b
                pending, batch_refs = [], {}
                if progress is not None:
                    progress(responses_done)
        a, b = _flush(pending)
        _check_twice(round, batch_refs)
        responses_done, answers_done = responses_done + a, answers_done + b
    events.record(actor=actor, verb="measurement.answers_imported", target=round, data={"responses": responses_done})
    return AnswersImportResult(responses_done, answers_done)


def _twice(line: int, ref: str) -> MeasurementError:
    return MeasurementError(
        _("line %(line)d: the respondent %(code)s appears twice.") % {"line": line, "code": ref[:64]}
    )


def _check_twice(round: Round, batch_refs: dict[str, tuple[int, str]]) -> None:
    """A respondent code of this batch that the round already had (earlier in the file, or from an
    earlier import): asked from the database, so memory stays constant however long the file is."""
    if not batch_refs:
        return
    from django.db.models import Count

    twice = (
        Response.objects.filter(round=round, external_ref__in=list(batch_refs))
        .values("external_ref")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by()
        .values_list("external_ref", flat=True)
    )
    found = sorted(batch_refs[d] for d in twice)
    if found:
        raise _twice(*found[0])


def _lines(stream: Iterable[str] | Iterable[bytes]) -> Iterator[str]:
    for line in stream:
        yield line.decode("utf-8-sig") if isinstance(line, bytes) else line


def _flush(pending: list[tuple[Response, list[tuple[int, int | None, str]]]]) -> tuple[int, int]:
    """Save one batch: the responses with ``bulk_create``, their answers with one ``executemany``
    (plain rows, no model instances: the import is dominated by the answers)."""
    if not pending:
        return 0, 0
    responses = Response.objects.bulk_create([r for r, _a in pending])
    rows = [
        (response.pk, item_id, value, text)
        for response, answers in zip(responses, (a for _r, a in pending), strict=True)
        for item_id, value, text in answers
    ]
    table = connection.ops.quote_name(Answer._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (response_id, item_id, value, text) VALUES (%s, %s, %s, %s)",  # noqa: S608
            rows,
        )
    return len(responses), len(rows)


__all__ = [
    "AnswersInvalid",
    "InstrumentVersionConflict",
    "LinkInvalid",
    "MeasurementError",
    "answers_import",
    "external_assessment_record",
    "instrument_export",
    "instrument_import",
    "invitation_issue_link",
    "link_open",
    "response_save",
    "response_share",
    "response_start",
    "response_submit",
    "response_url",
    "response_withdraw",
    "round_create",
    "round_invite",
]
