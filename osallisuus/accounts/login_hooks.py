"""Other ways to log in, added by other apps (the identity app's OpenID Connect providers).

accounts owns the login page, the password login and the logout. An app that offers another
way to log in registers ``LoginHooks`` from its ``AppConfig.ready`` (through
``accounts.services.login_hooks_register``):

* ``sections(request)``: extra parts of the login page, each a template of that app with its
  context (and a stylesheet of its own), shown above the password form;
* ``password_refusal(user)``: why this person may not log in with a password, or ``None`` when
  they may (checked after the password was right, so it tells nothing to a guesser);
* ``on_logout(request)``: called while the session still exists, before it ends; may return
  an address to send the browser to afterwards (a provider's end-session endpoint).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django.utils.functional import _StrPromise

    from .models import User


@dataclass(frozen=True)
class LoginSection:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    stylesheet: str = ""
    """A static path, linked in the page's head."""


@dataclass(frozen=True)
class LoginHooks:
    name: str
    sections: Callable[[HttpRequest], list[LoginSection]] | None = None
    password_refusal: Callable[[User], str | _StrPromise | None] | None = None
    on_logout: Callable[[HttpRequest], str | None] | None = None


_hooks: dict[str, LoginHooks] = {}


def register(hooks: LoginHooks) -> None:
    """Add (or replace, by name) one app's hooks."""
    _hooks[hooks.name] = hooks


def sections(request: HttpRequest) -> list[LoginSection]:
    return [s for h in _hooks.values() if h.sections for s in h.sections(request)]


def password_refusal(user: User) -> str | _StrPromise | None:
    for hooks in _hooks.values():
        if hooks.password_refusal and (reason := hooks.password_refusal(user)):
            return reason
    return None


def on_logout(request: HttpRequest) -> str | None:
    """Run every app's logout hook; the first address given is where the browser goes next."""
    target = None
    for hooks in _hooks.values():
        if hooks.on_logout:
            address = hooks.on_logout(request)
            target = target or address
    return target
