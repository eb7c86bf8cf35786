"""The kinds of notice the module sends through the foundation's notification centre.

Each person chooses per kind whether it also comes by e-mail (``/notifications/settings/``).
The services call ``core.notifications.notify`` with these codes and lazy texts, so every
notice is written in the recipient's own language, with a full link in the e-mail.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from osallisuus.core.notifications import Kind, register_kind

NEW_REQUEST = "experts.request_new"
DETAILS_ASKED = "experts.request_details"
NEW_OFFER = "experts.offer_new"
OFFER_DECLINED = "experts.offer_declined"
TASK_TAKEN = "experts.task_taken"
EXPERT_ACCEPTED = "experts.expert_accepted"
YOU_ARE_PARTNER = "experts.partner"
TASK_CANCELLED = "experts.task_cancelled"
TASK_MOVED = "experts.task_moved"
TASK_CONFIRMED = "experts.task_confirmed"
REMINDER = "experts.reminder"
EXPENSES_TO_APPROVE = "experts.expenses_submitted"
EXPENSES_DECIDED = "experts.expenses_decided"
REGISTRY = "experts.registry"
LIMITS_CHANGED = "experts.limits_changed"
CONTACT_WISH = "experts.contact_wish"
LEGACY = "experts.legacy"

KINDS = (
    Kind(NEW_REQUEST, _("New task requests to review")),
    Kind(DETAILS_ASKED, _("The coordinator asks for more details of a request")),
    Kind(NEW_OFFER, _("New task offers")),
    Kind(OFFER_DECLINED, _("An expert declined an offer")),
    Kind(TASK_TAKEN, _("A task offered to you was taken by another expert")),
    Kind(EXPERT_ACCEPTED, _("An expert accepted a task")),
    Kind(YOU_ARE_PARTNER, _("You are the professional partner of a task")),
    Kind(TASK_CANCELLED, _("Cancelled tasks")),
    Kind(TASK_MOVED, _("Tasks moved to another time")),
    Kind(TASK_CONFIRMED, _("The orderer confirmed a task")),
    Kind(REMINDER, _("Reminders the day before a task")),
    Kind(EXPENSES_TO_APPROVE, _("Expenses waiting for approval")),
    Kind(EXPENSES_DECIDED, _("Decisions on your expenses")),
    Kind(REGISTRY, _("Your place in the registry of experts by experience")),
    Kind(LIMITS_CHANGED, _("Changes to your earnings limits")),
    Kind(CONTACT_WISH, _("An expert would like to be contacted")),
    Kind(LEGACY, _("Earlier notices about tasks of experts by experience"), email_default=False),
)


def register_kinds() -> None:
    """Called from ``ExpertsConfig.ready``."""
    for kind in KINDS:
        register_kind(kind)
