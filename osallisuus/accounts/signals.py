"""Cache invalidation for ``user.permissions``: infrastructure, not business rules.

What a person holds is cached across requests. Any change to a membership (its roles, its
dates), a role (its permissions, its second-factor flag), a permission or an organisation
(active or not), from a service or from the admin site, forgets the cached answers at once.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from .models import Membership, Organisation, Permission, Role, User
from .permission_cache import invalidate_all, invalidate_user


def _membership_changed(sender: Any, instance: Membership, **kwargs: Any) -> None:
    invalidate_user(instance.user_id)


def _membership_roles_changed(sender: Any, instance: Any, action: str, pk_set: Any = None, **kwargs: Any) -> None:
    if not action.startswith("post_"):
        return
    if isinstance(instance, Membership):
        invalidate_user(instance.user_id)
    else:  # changed from the role's side: everyone with the role
        invalidate_all()


def _everyone(sender: Any, **kwargs: Any) -> None:
    if kwargs.get("action", "post_").startswith("post_"):
        invalidate_all()


def _user_changed(sender: Any, instance: User, **kwargs: Any) -> None:
    invalidate_user(instance.pk)


def connect() -> None:
    post_save.connect(_membership_changed, sender=Membership, dispatch_uid="perm-membership-save")
    post_delete.connect(_membership_changed, sender=Membership, dispatch_uid="perm-membership-delete")
    m2m_changed.connect(
        _membership_roles_changed, sender=Membership.roles.through, dispatch_uid="perm-membership-roles"
    )
    m2m_changed.connect(_everyone, sender=Role.permissions.through, dispatch_uid="perm-role-permissions")
    for model in (Role, Permission, Organisation):
        post_save.connect(_everyone, sender=model, dispatch_uid=f"perm-{model.__name__}-save")
        post_delete.connect(_everyone, sender=model, dispatch_uid=f"perm-{model.__name__}-delete")
    post_save.connect(_user_changed, sender=User, dispatch_uid="perm-user-save")
