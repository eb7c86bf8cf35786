"""Links back to where a response was started ("Back to the task", "Back to your plan").

Measurement does not know the other modules: each module that starts responses registers a
resolver for its ``context_module`` (``services.register_context_link``, from its
``AppConfig.ready``). When the respondent looks at their own answers, measurement asks the
resolver of the response's module for a link, at that moment, with the viewing user:

    resolver(context_ref, user) -> (label, url) | None

The module decides with its own rules whether the user may still open the page (the task, the
plan) and answers ``None`` otherwise. Nothing is stored on the response, so a link can never
outlive the person's access, and there is no return address in a URL to tamper with.

Measurement adds its own limits: only a logged-in person looking at a response that is their own
(never a personal-link respondent who is not logged in, never a worker looking at shared
answers), only for a response that still has its reference (not anonymised), and only a
same-site path (``url_has_allowed_host_and_scheme`` with no allowed hosts), so a resolver can
never make an open redirect or a link to another site.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.http import url_has_allowed_host_and_scheme

if TYPE_CHECKING:
    from .models import Response

logger = logging.getLogger(__name__)

Resolver = Callable[[str, Any], "tuple[str, str] | None"]
"""``resolver(context_ref, user)``: the label (already translated) and a same-site path, or None."""

_RESOLVERS: dict[str, Resolver] = {}


@dataclass(frozen=True)
class ContextLink:
    label: str
    url: str


def register(module: str, resolver: Resolver) -> None:
    """Register (or replace) the resolver for one ``context_module``."""
    if not module:
        raise ValueError("context_module is required")
    _RESOLVERS[module] = resolver


def registered() -> dict[str, Resolver]:
    """The registered resolvers by module (a copy)."""
    return dict(_RESOLVERS)


def link_for(*, response: Response, viewer: Any) -> ContextLink | None:
    """The link back to where the response was started, for the respondent themself, or None."""
    if not getattr(viewer, "is_authenticated", False):
        return None
    if response.respondent_id is None or response.respondent_id != viewer.pk:
        return None
    if response.anonymised_at is not None or not response.context_module or not response.context_ref:
        return None
    resolver = _RESOLVERS.get(response.context_module)
    if resolver is None:
        return None
    found = resolver(response.context_ref, viewer)
    if found is None:
        return None
    label, url = str(found[0]), str(found[1])
    if not label or not url.startswith("/") or not url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        logger.warning("measurement: ignored a link of %s that is not a same-site path", response.context_module)
        return None
    return ContextLink(label=label, url=url)
