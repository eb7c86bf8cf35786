"""Applications: drafts saved and continued, the financing plan checked against the cost estimate
(Decimal, to the cent), the lump-sum limit as a rule with a source, submission before the call
closes (the server's clock decides), withdrawal, resubmission to a later call, users and
attachments (PDF, ODF or Office documents within the size limit of the rules)."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _

from osallisuus.accounts import selectors as accounts
from osallisuus.core import events, formatting, mail
from osallisuus.core.mail import absolute_url

from .. import permissions
from ..models import (
    Application,
    ApplicationUser,
    Attachment,
    Call,
    CostLine,
    FinancingLine,
    FundingRule,
    Idea,
    Output,
)
from ._base import FundingError, FundingForbidden, money, rule_in_force

if TYPE_CHECKING:
    from osallisuus.accounts.models import Organisation, User

PLAN_FIELDS = (
    "title",
    "aims",
    "target_group",
    "activities",
    "schedule",
    "theme",
    "area",
    "starts_on",
    "ends_on",
    "lump_sum",
    "eura_application_number",
    "eura_project_code",
    "diary_number",
)
REQUIRED_TO_SUBMIT = ("title", "aims", "target_group", "activities", "schedule", "starts_on", "ends_on")
FUNDER_SOURCES = {
    "esf_state": FinancingLine.Source.ESF_STATE,
    "city": FinancingLine.Source.CITY,
    "main_implementer": FinancingLine.Source.MAIN_IMPLEMENTER,
}
ALLOWED_EXTENSIONS = {
    ".pdf": (b"%PDF",),
    ".odt": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
    ".odp": (b"PK\x03\x04",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".ppt": (b"\xd0\xcf\x11\xe0",),
}


@dataclass
class Totals:
    costs: Decimal
    financing: Decimal
    by_source: dict[str, Decimal] = field(default_factory=dict)

    @property
    def difference(self) -> Decimal:
        return self.financing - self.costs

    @property
    def balanced(self) -> bool:
        return self.costs > 0 and self.difference == 0


def totals_of(application: Application) -> Totals:
    """The cost estimate and the financing plan, added up as Decimal (one query each)."""
    costs = sum((c.amount for c in application.costs.all()), Decimal("0.00"))
    by_source: dict[str, Decimal] = {}
    for line in application.financing.all():
        by_source[line.source] = by_source.get(line.source, Decimal("0.00")) + line.amount
    return Totals(costs=costs, financing=sum(by_source.values(), Decimal("0.00")), by_source=by_source)


def financing_check(*, costs: Decimal, financing: Decimal) -> None:
    if costs <= 0:
        raise FundingError(_("Give the detailed cost estimate."), field="costs", code="no_costs")
    if financing != costs:
        raise FundingError(
            _("The financing plan (%(financing)s) must add up to the cost estimate (%(costs)s).")
            % {"financing": formatting.money(financing), "costs": formatting.money(costs)},
            field="financing",
            code="unbalanced",
        )


def lump_sum_check(*, lump_sum: bool, costs: Decimal, on: Any = None) -> FundingRule | None:
    """A lump sum only for a project whose total cost is within the rule in force."""
    rule = rule_in_force(FundingRule.Kind.LUMP_SUM_MAX_TOTAL, on)
    if lump_sum and rule is not None and costs > rule.value:
        raise FundingError(
            _(
                "A lump sum (kertakorvaus) is possible only for projects of at most %(limit)s in total "
                "cost (%(source)s). This project costs %(costs)s."
            )
            % {"limit": formatting.money(rule.value), "source": rule.source, "costs": formatting.money(costs)},
            field="lump_sum",
            code="lump_sum_limit",
        )
    return rule


def _require(decision: permissions.Decision, *, field: str | None = None) -> None:
    if not decision:
        raise FundingForbidden(decision.reason, field=field)


@transaction.atomic
def application_create(
    *,
    actor: User,
    call: Call,
    applicant: Organisation,
    title: str,
    idea: Idea | None = None,
    co_applicants: Sequence[Organisation] = (),
) -> Application:
    """A new draft; the one who starts it is its first user and contact person."""
    _require(permissions.can_start_application(actor, call))
    if applicant.pk not in permissions.orgs_with(actor, permissions.P.APPLY):
        raise FundingForbidden(_("You cannot apply for that organisation."), field="organisation")
    if not (title or "").strip():
        raise FundingError(_("Give the project a name."), field="title")
    application = Application.objects.create(
        call=call, applicant=applicant, title=title.strip()[:200], idea=idea, created_by=actor
    )
    application.co_applicants.set([o for o in co_applicants if o.pk != applicant.pk])
    ApplicationUser.objects.create(application=application, user=actor, is_contact=True)
    events.record(actor=actor, verb="funding.application.create", target=application)
    return application


def _clean_outputs(rows: Sequence[Mapping[str, Any]]) -> list[Output]:
    outputs = []
    for i, row in enumerate(rows):
        description = str(row.get("description") or "").strip()
        indicator = str(row.get("indicator") or "").strip()
        target_text = row.get("target")
        if not (description or indicator or str(target_text or "").strip()):
            continue
        field_prefix = f"outputs-{i}"
        if not description:
            raise FundingError(_("Describe the output."), field=f"{field_prefix}-description")
        if not indicator:
            raise FundingError(_("Give the output an indicator."), field=f"{field_prefix}-indicator")
        target = money(target_text, field=f"{field_prefix}-target", allow_zero=False)
        outputs.append(
            Output(
                description=description[:300],
                indicator=indicator[:200],
                target=target,
                unit=str(row.get("unit") or "").strip()[:40],
            )
        )
    return outputs


def _clean_costs(rows: Sequence[Mapping[str, Any]]) -> list[CostLine]:
    lines = []
    categories = set(CostLine.Category.values)
    for i, row in enumerate(rows):
        description = str(row.get("description") or "").strip()
        amount_text = str(row.get("amount") or "").strip()
        if not (description or amount_text):
            continue
        if row.get("category") not in categories:
            raise FundingError(_("Choose the kind of cost."), field=f"costs-{i}-category")
        if not description:
            raise FundingError(_("Describe the cost."), field=f"costs-{i}-description")
        amount = money(amount_text, field=f"costs-{i}-amount", allow_zero=False)
        lines.append(CostLine(category=row["category"], description=description[:300], amount=amount))
    return lines


def _clean_financing(values: Mapping[str, Any]) -> list[FinancingLine]:
    lines = []
    for source in FinancingLine.Source.values:
        amount = money(values.get(source), field=f"financing-{source}")
        if amount > 0:
            lines.append(FinancingLine(source=source, amount=amount))
    return lines


@transaction.atomic
def application_save(
    *,
    actor: User,
    application: Application,
    plan: Mapping[str, Any],
    outputs: Sequence[Mapping[str, Any]] | None = None,
    costs: Sequence[Mapping[str, Any]] | None = None,
    financing: Mapping[str, Any] | None = None,
    co_applicants: Sequence[int | str] | None = None,
) -> Application:
    """Save the draft: the plan, outputs, cost estimate and financing plan, all or nothing.

    Every amount is checked (a number, not negative, to the cent); a plan that does not add up yet
    is saved as a draft (the page shows the difference) and refused only on submission. The lump-sum
    limit is checked now, since it changes how the project is planned."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require(permissions.can_edit_application(actor, application))
    new_outputs = _clean_outputs(outputs) if outputs is not None else None
    new_costs = _clean_costs(costs) if costs is not None else None
    new_financing = _clean_financing(financing) if financing is not None else None
    new_partners = None
    if co_applicants is not None:
        wanted = {int(pk) for pk in co_applicants if str(pk).isdigit()} - {application.applicant_id}
        new_partners = list(accounts.organisations_by_ids(ids=wanted))
        if len(new_partners) != len(wanted):
            raise FundingError(_("Choose the co-applicants from the list."), field="co_applicants")
    for name in PLAN_FIELDS:
        if name in plan:
            value = plan[name]
            setattr(application, name, value.strip() if isinstance(value, str) else value)
    if not application.title:
        raise FundingError(_("Give the project a name."), field="title")
    if application.starts_on and application.ends_on and application.ends_on < application.starts_on:
        raise FundingError(_("The project must end after it starts."), field="ends_on")
    if new_costs is not None:
        cost_total = sum((c.amount for c in new_costs), Decimal("0.00"))
    else:
        cost_total = totals_of(application).costs
    lump_sum_check(lump_sum=application.lump_sum, costs=cost_total)
    application.save()
    if new_partners is not None:
        application.co_applicants.set(new_partners)
    if new_outputs is not None:
        application.outputs.all().delete()
        for output in new_outputs:
            output.application = application
        Output.objects.bulk_create(new_outputs)
    if new_costs is not None:
        application.costs.all().delete()
        for line in new_costs:
            line.application = application
        CostLine.objects.bulk_create(new_costs)
    if new_financing is not None:
        application.financing.all().delete()
        for fline in new_financing:
            fline.application = application
        FinancingLine.objects.bulk_create(new_financing)
    events.record(actor=actor, verb="funding.application.save", target=application)
    return application


def _submission_mail(application: Application, recipients: list[User]) -> None:
    link = absolute_url(reverse("funding:application", args=[application.pk]))
    for user in recipients:
        with override(user.preferred_language or "fi"):
            subject = gettext("Your funding application %(number)s has been received") % {
                "number": application.tracking_number
            }
            paragraphs = [
                gettext("The application “%(title)s” to the call %(call)s was received on %(when)s.")
                % {
                    "title": application.title,
                    "call": application.call.name,
                    "when": formatting.datetime(application.submitted_at),
                },
                gettext("Its tracking number is %(number)s. Quote it when you contact the funders.")
                % {"number": application.tracking_number},
            ]
            context = {
                "paragraphs": paragraphs,
                "message": "\n\n".join(paragraphs),
                "link": link,
                "link_label": gettext("Open the application"),
                "recipient": user,
            }
            mail.send(to=user, subject=subject, template="core/email/notice", context=context, fail_silently=True)


@transaction.atomic
def application_submit(*, actor: User, application: Application, now: Any = None) -> Application:
    """Submit before the call closes: the server's clock decides, not the page."""
    application = Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    moment = now or timezone.now()
    _require(permissions.can_edit_application(actor, application))
    if not permissions.call_is_open(application.call, at=moment):
        raise FundingError(
            _("The call closed on %(when)s: the application can no longer be submitted.")
            % {"when": formatting.datetime(application.call.closes_at)},
            code="closed",
        )
    for name in REQUIRED_TO_SUBMIT:
        if not getattr(application, name):
            label = getattr(Application._meta.get_field(name), "verbose_name", name)
            raise FundingError(
                _("Fill in “%(field)s” before submitting.") % {"field": label}, field=name, code="required"
            )
    if not application.outputs.exists():
        raise FundingError(_("Give at least one output with its indicator."), field="outputs", code="required")
    totals = totals_of(application)
    financing_check(costs=totals.costs, financing=totals.financing)
    lump_sum_check(lump_sum=application.lump_sum, costs=totals.costs)
    application.status = Application.Status.SUBMITTED
    application.submitted_at = moment
    application.save(update_fields=["status", "submitted_at", "updated_at"])
    events.record(actor=actor, verb="funding.application.submit", target=application)
    recipients = [au.user for au in application.users.select_related("user")]
    transaction.on_commit(lambda: _submission_mail(application, recipients))
    return application


@transaction.atomic
def application_withdraw(*, actor: User, application: Application) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require(permissions.can_withdraw(actor, application))
    application.status = Application.Status.WITHDRAWN
    application.withdrawn_at = timezone.now()
    application.save(update_fields=["status", "withdrawn_at", "updated_at"])
    events.record(actor=actor, verb="funding.application.withdraw", target=application)
    return application


@transaction.atomic
def application_resubmit(*, actor: User, application: Application, call: Call) -> Application:
    """Copy a withdrawn or earlier application into a new draft of a later, open call."""
    _require(permissions.can_resubmit(actor, application))
    if call.pk == application.call_id or call.closes_at <= application.call.closes_at:
        raise FundingError(_("Choose a later call."), field="call")
    if not permissions.call_is_open(call):
        raise FundingError(_("That call is not open."), field="call")
    copy = Application.objects.create(
        call=call,
        applicant=application.applicant,
        idea=application.idea,
        resubmission_of=application,
        created_by=actor,
        **{name: getattr(application, name) for name in PLAN_FIELDS if name != "diary_number"},
    )
    copy.co_applicants.set(application.co_applicants.all())
    users = {au.user_id: au.is_contact for au in application.users.all()}
    users.setdefault(actor.pk, True)
    ApplicationUser.objects.bulk_create(
        [ApplicationUser(application=copy, user_id=uid, is_contact=contact) for uid, contact in users.items()]
    )
    Output.objects.bulk_create(
        [
            Output(application=copy, description=o.description, indicator=o.indicator, target=o.target, unit=o.unit)
            for o in application.outputs.all()
        ]
    )
    CostLine.objects.bulk_create(
        [
            CostLine(application=copy, category=c.category, description=c.description, amount=c.amount)
            for c in application.costs.all()
        ]
    )
    FinancingLine.objects.bulk_create(
        [
            FinancingLine(application=copy, source=f.source, amount=f.amount, note=f.note)
            for f in application.financing.all()
        ]
    )
    events.record(actor=actor, verb="funding.application.resubmit", target=copy, data={"from": application.pk})
    return copy


@transaction.atomic
def application_user_add(*, actor: User, application: Application, email: str) -> ApplicationUser:
    """Add a colleague who may write and read the application (she needs ``funding.apply`` in the
    applicant's or a co-applicant's organisation)."""
    _require(permissions.can_manage_users(actor, application))
    user = accounts.user_by_email(email=email or "")
    orgs = {application.applicant_id, *application.co_applicants.values_list("pk", flat=True)}
    if user is None or not (user.permissions.organisations_with(permissions.P.APPLY) & orgs):
        raise FundingError(
            _("No one of the applicant organisations with this e-mail address may apply."), field="email"
        )
    entry, _created = ApplicationUser.objects.get_or_create(application=application, user=user)
    events.record(actor=actor, verb="funding.application.user_add", target=application, subject=user)
    return entry


def attachment_limit_bytes() -> tuple[int, FundingRule]:
    rule = rule_in_force(FundingRule.Kind.ATTACHMENT_MAX_MB)
    if rule is None:
        raise FundingError(_("Attachments cannot be added: no size limit is in force."), field="file")
    return int(rule.value * 1024 * 1024), rule


@transaction.atomic
def attachment_add(*, actor: User, application: Application, kind: str, file: Any) -> Attachment:
    """Only PDF, ODF or Office documents (by name and by content), within the size limit."""
    if not (permissions.is_applicant_side(actor, application) and application.status != Application.Status.WITHDRAWN):
        raise FundingForbidden(_("Only the applicant's users can add attachments."), field="file")
    if kind not in Attachment.Kind.values:
        raise FundingError(_("Choose the kind of attachment."), field="kind")
    if file is None:
        raise FundingError(_("Choose a file."), field="file")
    name = os.path.basename(getattr(file, "name", "") or "")
    extension = os.path.splitext(name)[1].lower()
    magic = ALLOWED_EXTENSIONS.get(extension)
    head = file.read(8)
    file.seek(0)
    if magic is None or not any(head.startswith(m) for m in magic):
        raise FundingError(
            _("Attach a PDF, an OpenDocument (ODT, ODS, ODP) or an Office document (DOCX, XLSX, PPTX, DOC, XLS, PPT)."),
            field="file",
            code="file_type",
        )
    limit, rule = attachment_limit_bytes()
    if file.size > limit:
        raise FundingError(
            _("The file is %(size)s MB; the largest allowed is %(limit)s MB.")
            % {
                "size": formatting.number(Decimal(file.size) / (1024 * 1024), 1),
                "limit": formatting.number(rule.value, 0),
            },
            field="file",
            code="file_size",
        )
    attachment = Attachment(application=application, kind=kind, name=name[:200], size=file.size, uploaded_by=actor)
    attachment.file.save(name, file, save=False)
    attachment.save()
    events.record(actor=actor, verb="funding.attachment.add", target=attachment)
    return attachment


@transaction.atomic
def eura_update(*, actor: User, application: Application, data: Mapping[str, str]) -> Application:
    """The funders' officers record EURA's identifiers (application number, project code, diary number)."""
    if not (
        permissions.review_funders(actor, application).exists() or permissions.is_applicant_side(actor, application)
    ):
        raise FundingForbidden(_("Only the applicant or the call's funders can record EURA identifiers."))
    for name in ("eura_application_number", "eura_project_code", "diary_number"):
        if name in data:
            setattr(application, name, str(data[name] or "").strip()[:40])
    application.save(update_fields=["eura_application_number", "eura_project_code", "diary_number", "updated_at"])
    events.record(actor=actor, verb="funding.application.eura", target=application)
    return application
