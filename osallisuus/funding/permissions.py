"""Who may see and do what in partnership funding. Permissions are data (migration 0002).

* The city's civic-activation unit (``funding.manage_programme``) runs its programmes: funders,
  envelopes, frame documents, info events and calls.
* A funder's officers review, recommend, hear, decide and pay for their own funder only: the
  permission must be held in the funder's organisation (``funding.review``, ``funding.decide``,
  ``funding.pay``, ``funding.advise``).
* An applicant organisation's staff (``funding.apply``) present ideas and write applications; an
  application is seen only by its users, the applicant organisation's staff with ``funding.apply``,
  and the funders of its call. Anyone else gets the same 404 as for an application that does not exist.
* Steering-group members (``funding.steer``) see the programme's group, its meetings and the funded
  projects' figures; analysts (``funding.view_aggregates``) see portfolio figures only.
"""

from __future__ import annotations


class P:
    """Permission codes seeded by ``migrations/0002_permissions``."""

    MANAGE = "funding.manage_programme"
    ADVISE = "funding.advise"
    APPLY = "funding.apply"
    REVIEW = "funding.review"
    DECIDE = "funding.decide"
    PAY = "funding.pay"
    STEER = "funding.steer"
    VIEW_AGGREGATES = "funding.view_aggregates"
