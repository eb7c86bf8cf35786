"""Refusals of the identity module, and what a person is told when a login does not succeed.

Every failure of a login is shown as a calm page in the person's language with a short
reference; the log gets the reason and the reference, never a token.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from osallisuus.core.errors import Refusal


class IdentityError(Refusal):
    """A refusal of the identity module (its ``code`` names the failure page's text)."""


@dataclass(frozen=True)
class Failure:
    message: Promise
    status: int = 400
    offer_retry: bool = True


FAILURES: dict[str, Failure] = {
    "cancelled": Failure(_("The login was cancelled or not finished at the login service, so you were not logged in.")),
    "provider_error": Failure(_("The login service could not log you in this time.")),
    "state": Failure(
        _(
            "The login took too long, or it was started in another window or tab, so we could not finish it. "
            "Nothing was saved."
        )
    ),
    "token": Failure(
        _(
            "We could not confirm the answer of the login service, so you were not logged in. This is a safety "
            "check; it does not mean you did anything wrong."
        )
    ),
    "unavailable": Failure(_("The login service did not answer. Try again in a moment."), status=502),
    "not_served": Failure(
        _("This login service is not used by your organisation here. Log in with another way shown on the login page."),
        status=403,
        offer_retry=False,
    ),
    "inactive": Failure(
        _("Your account is not in use. Contact the coordinator of your organisation."), status=403, offer_retry=False
    ),
    "linked_elsewhere": Failure(
        _(
            "This login is already connected to another account, so it could not be connected to the account "
            "of the invitation. Nothing was changed. Contact the coordinator of your organisation."
        ),
        status=403,
        offer_retry=False,
    ),
    "already_linked": Failure(
        _(
            "Your account is already connected to another login at this service. Nothing was changed. Log in "
            "with that one, or ask the coordinator of your organisation to remove the old connection."
        ),
        status=403,
        offer_retry=False,
    ),
    "invitation_invalid": Failure(
        _("The invitation link has expired or has already been used. Ask for a new one."),
        status=410,
        offer_retry=False,
    ),
}
