"""Partnership funding: the Kuopio model and the internal-call model.

A *programme* (e.g. "Järvilahden kumppanuusrahoitus 2027") has *funders*, each with a yearly
*envelope* whose cap is data with a source. NGOs present *ideas* and get advice, then apply in a
*call*. An *application* has a plan, outputs with indicators, a cost estimate and a financing plan
that must add up to it. The funders *review* it against the call's weighted criteria, hear the
applicant, and each funder makes its own *decision* (ELY the ESF+state share, the city its own
share) under its own envelope. *Payments* (advance, instalment, lump sum on verified outputs) and
the city's self-financing *loan* follow. A *group* (the programme's steering group, or a project's
own group) meets and records decisions.

Money is ``Decimal`` with two decimals everywhere; the rules that are law or policy (the lump-sum
limit, the advance share, attachment limits) are ``FundingRule`` rows with an effective date and a
source, never constants in code.

An envelope keeps running totals (``decided``, ``paid``) that only the services change, under a
row lock (``select_for_update``), so two officers deciding at once cannot take it over its cap; the
database also refuses a total above the cap.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from osallisuus.core.db import TimeStampedModel
from osallisuus.core.personal_data import Erasure, NoPersonalData, PersonalData

MONEY: dict[str, Any] = {"max_digits": 12, "decimal_places": 2}
ZERO = Decimal("0.00")

RECORD_RETENTION = _(
    "Funding applications, reviews, decisions and payments are public-money records. They are kept "
    "for the funders' statutory retention period (ESF+ projects: until the programme's accounts are "
    "closed), with the names of the people who wrote them."
)


def _tracking_number() -> str:
    return uuid.uuid4().hex[:8].upper()


class FundingRule(models.Model):
    """A rule that is law or policy, with the date it takes effect and its source."""

    class Kind(models.TextChoices):
        LUMP_SUM_MAX_TOTAL = "lump_sum_max_total", _("Lump sum: largest total cost of a project (€)")
        ADVANCE_MAX_PERCENT = "advance_max_percent", _("Advance: largest share of the support (%)")
        ATTACHMENT_MAX_MB = "attachment_max_mb", _("Attachment: largest file size (MB)")

    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    value = models.DecimalField(_("value"), **MONEY)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)

    personal_data: ClassVar = NoPersonalData(reason=_("Public rules of funding."))

    class Meta:
        ordering = ["kind", "-valid_from"]
        verbose_name = _("funding rule")
        verbose_name_plural = _("funding rules")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.valid_from:%d.%m.%Y}"


class Programme(TimeStampedModel):
    """A funding programme, run by one organisation (the city, or a main implementer)."""

    class Model(models.TextChoices):
        PARTNERSHIP = "partnership", _("Partnership funding (city and ELY/ESF+, two decisions)")
        INTERNAL = "internal", _("Internal calls of a main implementer")

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    model = models.CharField(_("funding model"), max_length=12, choices=Model.choices, default=Model.PARTNERSHIP)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="funding_programmes"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="internal_programmes",
        help_text=_("For internal calls: the programme whose funding the main implementer holds."),
    )
    year_from = models.PositiveSmallIntegerField(_("first year"))
    year_until = models.PositiveSmallIntegerField(_("last year"))

    personal_data: ClassVar = NoPersonalData(reason=_("A funding programme belongs to the organisation that runs it."))

    class Meta:
        ordering = ["-year_from", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(year_until__gte=F("year_from")), name="funding_programme_years_in_order")
        ]
        verbose_name = _("funding programme")
        verbose_name_plural = _("funding programmes")

    def __str__(self) -> str:
        return self.name


class Funder(models.Model):
    """An organisation that funds a programme, and which share it decides."""

    class Share(models.TextChoices):
        ESF_STATE = "esf_state", _("ESF+ and state share")
        CITY = "city", _("Municipal share")
        MAIN_IMPLEMENTER = "main_implementer", _("Main implementer's re-grants")
        OTHER = "other", pgettext_lazy("a funding share", "Other")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="funders")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    share = models.CharField(_("share"), max_length=20, choices=Share.choices)
    is_convener = models.BooleanField(_("convenes the steering group"), default=False)

    personal_data: ClassVar = NoPersonalData(reason=_("Funders are organisations."))

    class Meta:
        ordering = ["programme", "share"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "share"], name="funding_funder_one_per_share"),
            models.UniqueConstraint(fields=["programme", "organisation"], name="funding_funder_once"),
        ]
        verbose_name = _("funder")
        verbose_name_plural = _("funders")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_share_display()})"


class FrameDocument(models.Model):
    """A document the programme rests on: the city strategy, the wellbeing report, ..."""

    class Kind(models.TextChoices):
        CITY_STRATEGY = "city_strategy", _("City strategy")
        WELLBEING_PRIORITIES = "wellbeing_priorities", _("Yearly wellbeing priorities")
        WELLBEING_REPORT = "wellbeing_report", _("Wellbeing report")
        REGIONAL_PRIORITIES = "regional_priorities", _("Regional development priorities")
        NATIONAL_PROGRAMME = "national_programme", _("National structural-fund programme")
        OTHER = "other", pgettext_lazy("a kind of document", "Other")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("address"), blank=True)
    file = models.FileField(_("file"), upload_to="funding/frame/", blank=True)
    dated = models.DateField(_("date"))

    personal_data: ClassVar = NoPersonalData(reason=_("Public documents."))

    class Meta:
        ordering = ["programme", "kind", "-dated"]
        verbose_name = _("frame document")
        verbose_name_plural = _("frame documents")

    def __str__(self) -> str:
        return self.title


class Envelope(models.Model):
    """A funder's yearly cap. ``decided`` and ``paid`` are changed only by the services, under lock."""

    funder = models.ForeignKey(Funder, on_delete=models.CASCADE, related_name="envelopes")
    year = models.PositiveSmallIntegerField(_("year"))
    cap = models.DecimalField(_("cap (€)"), **MONEY)
    source = models.CharField(_("source"), max_length=300)
    decided = models.DecimalField(_("decided (€)"), default=ZERO, **MONEY)
    paid = models.DecimalField(_("paid (€)"), default=ZERO, **MONEY)

    personal_data: ClassVar = NoPersonalData(reason=_("A funder's yearly budget."))

    class Meta:
        ordering = ["funder", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["funder", "year"], name="funding_envelope_one_per_year"),
            models.CheckConstraint(condition=Q(cap__gt=0), name="funding_envelope_cap_positive"),
            models.CheckConstraint(
                condition=Q(decided__gte=0) & Q(decided__lte=F("cap")), name="funding_envelope_decided_within_cap"
            ),
            models.CheckConstraint(
                condition=Q(paid__gte=0) & Q(paid__lte=F("decided")), name="funding_envelope_paid_within_decided"
            ),
        ]
        verbose_name = _("yearly envelope")
        verbose_name_plural = _("yearly envelopes")

    def __str__(self) -> str:
        return f"{self.funder} {self.year}"

    @property
    def remaining(self) -> Decimal:
        return self.cap - self.decided


class InfoEvent(models.Model):
    """An info event for NGO groups (stage 1, outreach)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="info_events")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    attendance = models.PositiveIntegerField(_("attendance"), null=True, blank=True)
    organisations = models.ManyToManyField("accounts.Organisation", blank=True, related_name="+")

    personal_data: ClassVar = NoPersonalData(reason=_("Events and head counts, no names."))

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="funding_infoevent_ends_after_start")
        ]
        verbose_name = _("info event")
        verbose_name_plural = _("info events")

    def __str__(self) -> str:
        return self.title


class Idea(TimeStampedModel):
    """An NGO's project idea, presented before a call (stage 1)."""

    class Status(models.TextChoices):
        PRESENTED = "presented", _("Presented")
        INVITED = "invited", _("Invited to apply")
        NOT_TAKEN = "not_taken", _("Not taken forward")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="ideas")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("the idea in short"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PRESENTED)
    invited_to = models.ForeignKey(
        "Call", on_delete=models.SET_NULL, null=True, blank=True, related_name="invited_ideas"
    )
    presented_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    personal_data: ClassVar = PersonalData(
        subject="presented_by",
        fields=("presented_by",),
        purpose=_("You presented a project idea for your organisation; the funders give advice on it."),
        erasure=Erasure.RETAIN,
        retention=RECORD_RETENTION,
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("project idea")
        verbose_name_plural = _("project ideas")

    def __str__(self) -> str:
        return self.title


class Advice(models.Model):
    """One entry of the advice log of an idea, visible to the NGO."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="advice")
    funder = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("advice"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    personal_data: ClassVar = PersonalData(
        subject="author",
        fields=("author", "text"),
        purpose=_("Advice you gave on a project idea as a funder's officer."),
        erasure=Erasure.RETAIN,
        retention=RECORD_RETENTION,
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("advice")
        verbose_name_plural = _("advice")

    def __str__(self) -> str:
        return f"{self.idea}: {self.created_at:%d.%m.%Y}"


class Call(TimeStampedModel):
    """A call for applications, open between two moments in Finnish time."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="calls")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    funders = models.ManyToManyField(Funder, related_name="calls", verbose_name=_("funders taking part"))
    year = models.PositiveSmallIntegerField(_("budget year"))

    personal_data: ClassVar = NoPersonalData(reason=_("A call belongs to the programme."))

    class Meta:
        ordering = ["-closes_at"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="funding_call_closes_after_opening")
        ]
        verbose_name = _("call")
        verbose_name_plural = _("calls")

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    personal_data: ClassVar = NoPersonalData(reason=_("Criteria of a call."))

    class Meta:
        ordering = ["call", "order", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return self.name


class Application(TimeStampedModel):
    """An application to a call, by an applicant organisation, written by several users."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        DECIDED = "decided", _("Decided")
        CLOSED = "closed", _("Closed")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="funding_applications"
    )
    co_applicants = models.ManyToManyField("accounts.Organisation", blank=True, related_name="+")
    idea = models.ForeignKey(Idea, on_delete=models.SET_NULL, null=True, blank=True, related_name="applications")
    resubmission_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="resubmissions"
    )
    tracking_number = models.CharField(_("tracking number"), max_length=20, unique=True, default=_tracking_number)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    title = models.CharField(_("project name"), max_length=200)
    aims = models.TextField(_("aims"), blank=True)
    target_group = models.TextField(_("target group"), blank=True)
    activities = models.TextField(_("activities"), blank=True)
    schedule = models.TextField(_("schedule"), blank=True)
    theme = models.CharField(_("theme"), max_length=100, blank=True)
    area = models.CharField(_("area"), max_length=100, blank=True)
    starts_on = models.DateField(_("project starts"), null=True, blank=True)
    ends_on = models.DateField(_("project ends"), null=True, blank=True)
    lump_sum = models.BooleanField(_("lump sum (kertakorvaus)"), default=True)

    eura_application_number = models.CharField(_("EURA application number"), max_length=40, blank=True)
    eura_project_code = models.CharField(_("EURA project code"), max_length=40, blank=True)
    diary_number = models.CharField(_("diary number"), max_length=40, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    personal_data: ClassVar = PersonalData(
        subject="created_by",
        fields=("created_by",),
        purpose=_("You started a funding application for your organisation."),
        erasure=Erasure.RETAIN,
        retention=RECORD_RETENTION,
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["call", "status"], name="funding_app_call_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="funding_application_dates_in_order",
            )
        ]
        verbose_name = _("funding application")
        verbose_name_plural = _("funding applications")

    def __str__(self) -> str:
        return f"{self.title} ({self.tracking_number})"


class ApplicationUser(models.Model):
    """A person who may write and read an application for the applicant."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="users")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="funding_applications")
    is_contact = models.BooleanField(_("contact person"), default=False)
    added_at = models.DateTimeField(auto_now_add=True)

    personal_data: ClassVar = PersonalData(
        subject="user",
        fields=("user", "is_contact"),
        purpose=_("You may write and read this funding application."),
        erasure=Erasure.DELETE,
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "user"], name="funding_appuser_once")]
        verbose_name = _("application user")
        verbose_name_plural = _("application users")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.user_id}"


class Output(models.Model):
    """A planned output with its indicator; for a lump sum, the decision names these outputs."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="outputs")
    description = models.CharField(_("output"), max_length=300)
    indicator = models.CharField(_("indicator"), max_length=200)
    target = models.DecimalField(_("target"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)])
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    reached = models.DecimalField(_("reached"), max_digits=10, decimal_places=2, null=True, blank=True)
    reported_at = models.DateTimeField(_("reported"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    personal_data: ClassVar = PersonalData(
        subject="reported_by",
        fields=("reported_by", "verified_by"),
        extra_subjects=("verified_by",),
        purpose=_("You reported or verified the outputs of a funded project."),
        erasure=Erasure.RETAIN,
        retention=RECORD_RETENTION,
    )

    class Meta:
        ordering = ["application", "pk"]
        verbose_name = _("output")
        verbose_name_plural = _("outputs")

    def __str__(self) -> str:
        return self.description


class CostLine(models.Model):
    class Category(models.TextChoices):
        STAFF = "staff", _("Staff")
        SERVICES = "services", _("Services bought")
        TRAVEL = "travel", _("Travel")
        MATERIALS = "materials", _("Materials and equipment")
        PREMISES = "premises", _("Premises")
        OTHER = "other", pgettext_lazy("a kind of cost", "Other")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="costs")
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    description = models.CharField(_("description"), max_length=300)
    amount = models.DecimalField(_("amount (€)"), validators=[MinValueValidator(ZERO)], **MONEY)

    personal_data: ClassVar = NoPersonalData(reason=_("A project's cost estimate."))

    class Meta:
        ordering = ["application", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="funding_costline_not_negative")]
        verbose_name = _("cost line")
        verbose_name_plural = _("cost lines")

    def __str__(self) -> str:
        return self.description


class FinancingLine(models.Model):
    class Source(models.TextChoices):
        ESF_STATE = "esf_state", _("ESF+ and state")
        CITY = "city", _("City")
        MAIN_IMPLEMENTER = "main_implementer", _("Main implementer")
        OWN_MONEY = "own_money", _("Own financing: money")
        OWN_VOLUNTEER = "own_volunteer", _("Own financing: volunteer work")
        OTHER = "other", pgettext_lazy("a financing source", "Other")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="financing")
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    amount = models.DecimalField(_("amount (€)"), validators=[MinValueValidator(ZERO)], **MONEY)
    note = models.CharField(_("note"), max_length=300, blank=True)

    personal_data: ClassVar = NoPersonalData(reason=_("A project's financing plan."))

    class Meta:
        ordering = ["application", "source"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_financing_not_negative"),
            models.UniqueConstraint(fields=["application", "source"], name="funding_financing_one_per_source"),
        ]
        verbose_name = _("financing line")
        verbose_name_plural = _("financing lines")

    def __str__(self) -> str:
        return self.get_source_display()


class Attachment(models.Model):
    class Kind(models.TextChoices):
        PLAN = "plan", _("Project plan")
        BUDGET = "budget", _("Budget")
        STATUTES = "statutes", _("Statutes or register extract")
        REPORT = "report", _("Report")
        MINUTES = "minutes", _("Minutes")
        OTHER = "other", pgettext_lazy("a kind of attachment", "Other")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="funding/attachments/%Y/")
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    personal_data: ClassVar = PersonalData(
        subject="uploaded_by",
        fields=("uploaded_by",),
        purpose=_("You attached a file to a funding application."),
        erasure=Erasure.RETAIN,
        retention=RECORD_RETENTION,
    )

    class Meta:
        ordering = ["application", "uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class Review(TimeStampedModel):
    """One reviewer's comment and scores. Others' reviews are shown only after one's own is written."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    funder = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="funding_reviews")
    comment = models.TextField(_("comment"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    personal_data: ClassVar = PersonalData(
        subject="reviewer",
        fields=("reviewer", "comment"),
        purpose=_("Your review of a funding application."),
        erasure=Erasure.RETAIN,
        retention=RECORD_RETENTION,
    )

    class Meta:
        ordering = ["application", "submitted_at"]
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="funding_review_once")]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.reviewer_id}"


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score (0–5)"), validators=[MaxValueValidator(5)])

    personal_data: ClassVar = NoPersonalData(reason=_("A score is part of a review; the review names its writer."))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="funding_score_once"),
            models.CheckConstraint(condition=Q(score__lte=5), name="funding_score_at_most_5"),
        ]
        verbose_name = _("score")
        verbose_name_plural = _("scores")

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"


class Recommendation(models.Model):
    """A funder's position for the decision bodies: agree or disagree, with a note."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="recommendations")
    funder = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="+")
    agrees = models.BooleanField(_("recommends funding"))
    amount = models.DecimalField(_("recommended amount (€)"), null=True, blank=True, **MONEY)
    note = models.TextField(_("note"), blank=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    written_at = models.DateTimeField(auto_now=True)

    personal_data: ClassVar = PersonalData(
        subject="written_by",
        fields=("written_by",),
        purpose=_("A funding recommendation you wrote for your organisation."),
        erasure=Erasure.RETAIN,
        retention=RECORD_RETENTION,
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "funder"], name="funding_recommendation_once")]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.funder_id}"


class Hearing(models.Model):
    """The applicants' hearing by the funders after submission, with minutes."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="hearings")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200)
    minutes = models.TextField(_("minutes"), blank=True)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)

    personal_data: ClassVar = NoPersonalData(
        reason=_("A meeting of organisations; the minutes are the funders' record.")
    )

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="funding_hearing_ends_after_start")
        ]
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.starts_at:%d.%m.%Y}"


class Decision(TimeStampedModel):
    """One funder's legal decision on one application. At most one per funder and application."""

    class Outcome(models.TextChoices):
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="decisions")
    funder = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="decisions")
    envelope = models.ForeignKey(Envelope, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    number = models.CharField(_("decision number"), max_length=60)
    decided_on = models.DateField(_("decision date"))
    decider = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount (€)"), default=ZERO, **MONEY)
    conditions = models.TextField(_("conditions"), blank=True)
    refusal_reasons = models.TextField(_("reasons for refusal"), blank=True)
    outputs = models.ManyToManyField(
        Output, blank=True, related_name="decisions", verbose_name=_("outputs the lump sum pays for")
    )

    personal_data: ClassVar = PersonalData(
        subject="decider",
        fields=("decider",),
        purpose=_("A funding decision you made as your organisation's decider."),
        erasure=Erasure.RETAIN,
        retention=RECORD_RETENTION,
    )

    class Meta:
        ordering = ["-decided_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "funder"], name="funding_decision_one_per_funder"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_decision_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(outcome="granted", amount__gt=0) | Q(outcome="refused", amount=0),
                name="funding_decision_amount_matches_outcome",
            ),
        ]
        verbose_name = _("funding decision")
        verbose_name_plural = _("funding decisions")

    def __str__(self) -> str:
        return f"{self.number} ({self.funder})"


class Report(models.Model):
    """An interim or final report of a funded project, attached to payment requests."""

    class Kind(models.TextChoices):
        INTERIM = "interim", _("Interim report")
        FINAL = "final", _("Final report")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("report"))
    attachment = models.ForeignKey(Attachment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    personal_data: ClassVar = PersonalData(
        subject="submitted_by",
        fields=("submitted_by",),
        purpose=_("A report you sent for a funded project."),
        erasure=Erasure.RETAIN,
        retention=RECORD_RETENTION,
    )

    class Meta:
        ordering = ["application", "submitted_at"]
        verbose_name = _("project report")
        verbose_name_plural = _("project reports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.submitted_at:%d.%m.%Y}"


class Payment(TimeStampedModel):
    """A payment request and its payment. The same idempotency key pays once."""

    class Kind(models.TextChoices):
        ADVANCE = "advance", _("Advance")
        INSTALMENT = "instalment", _("Instalment")
        LUMP_SUM = "lump_sum", _("Lump sum on outputs")
        FINAL = "final", _("Final payment")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        PAID = "paid", _("Paid")
        REJECTED = "rejected", _("Rejected")

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    amount = models.DecimalField(_("amount (€)"), **MONEY)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    report = models.ForeignKey(Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="payments")
    idempotency_key = models.CharField(max_length=80, unique=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)

    personal_data: ClassVar = PersonalData(
        subject="requested_by",
        fields=("requested_by", "paid_by"),
        extra_subjects=("paid_by",),
        purpose=_("A payment you requested or approved for a funded project."),
        erasure=Erasure.RETAIN,
        retention=RECORD_RETENTION,
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="funding_payment_amount_positive")]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class Loan(TimeStampedModel):
    """The city's self-financing loan to an NGO, with its repayment schedule."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="loans")
    lender = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount (€)"), **MONEY)
    granted_on = models.DateField(_("granted on"))
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)

    personal_data: ClassVar = NoPersonalData(reason=_("A loan between organisations."))

    class Meta:
        ordering = ["-granted_on"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="funding_loan_amount_positive")]
        verbose_name = _("self-financing loan")
        verbose_name_plural = _("self-financing loans")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.amount}"


class LoanInstalment(models.Model):
    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="instalments")
    due_on = models.DateField(_("due"))
    amount = models.DecimalField(_("amount (€)"), **MONEY)
    repaid_on = models.DateField(_("repaid on"), null=True, blank=True)

    personal_data: ClassVar = NoPersonalData(reason=_("A loan between organisations."))

    class Meta:
        ordering = ["loan", "due_on"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="funding_instalment_amount_positive")]
        verbose_name = _("loan instalment")
        verbose_name_plural = _("loan instalments")

    def __str__(self) -> str:
        return f"{self.due_on:%d.%m.%Y}: {self.amount}"


class Group(TimeStampedModel):
    """The programme's steering group (convened by the city), or one project's own group."""

    class Kind(models.TextChoices):
        STEERING = "steering", _("Steering group")
        PROJECT = "project", _("Project group")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="groups")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, null=True, blank=True, related_name="groups")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)

    personal_data: ClassVar = NoPersonalData(reason=_("A group of organisations; members are in their own table."))

    class Meta:
        ordering = ["programme", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme"], condition=Q(kind="steering"), name="funding_one_steering_group_per_programme"
            ),
            models.CheckConstraint(
                condition=Q(kind="steering", application__isnull=True) | Q(kind="project", application__isnull=False),
                name="funding_group_kind_matches_project",
            ),
        ]
        verbose_name = _("group")
        verbose_name_plural = _("groups")

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="funding_groups")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=100, blank=True)

    personal_data: ClassVar = PersonalData(
        subject="user",
        fields=("user", "role"),
        purpose=_("You are a member of a funding programme's steering group or a project group."),
        erasure=Erasure.DELETE,
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="funding_groupmember_once")]
        verbose_name = _("group member")
        verbose_name_plural = _("group members")

    def __str__(self) -> str:
        return f"{self.group_id}: {self.user_id}"


class GroupMeeting(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    personal_data: ClassVar = NoPersonalData(reason=_("Meetings of organisations; the minutes are the group's record."))

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="funding_groupmeeting_ends_after_start"
            )
        ]
        verbose_name = _("group meeting")
        verbose_name_plural = _("group meetings")

    def __str__(self) -> str:
        return f"{self.group}: {self.starts_at:%d.%m.%Y}"


class GroupDecision(models.Model):
    meeting = models.ForeignKey(GroupMeeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"))
    application = models.ForeignKey(Application, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    personal_data: ClassVar = NoPersonalData(reason=_("A decision a group recorded."))

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("group decision")
        verbose_name_plural = _("group decisions")

    def __str__(self) -> str:
        return self.text[:60]
