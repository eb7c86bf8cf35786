"""Fixtures for the privacy tests: Aino with a row in every model that can hold her data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile

AINO_MARKERS = ("Aino", "Mäkinen", "aino.makinen", "040 123 4501")


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> Any:
    """Files written by jobs go to a temporary folder, not var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@dataclass
class AinoEverywhere:
    aino: Any
    job: Any
    token: Any
    feedback: Any
    read_by_ville: Any
    admin_log: Any
    session_key: str


@pytest.fixture
def aino_everywhere(personas: Any, client: Any) -> AinoEverywhere:
    """Aino (the participant) with rows in every declared model and every third-party table."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from osallisuus.accounts.api_auth import token_issue
    from osallisuus.core import services as core_services
    from osallisuus.core.access import Action, log_access

    aino = personas.participant
    job = core_services.job_create(owner=aino, kind="test", label="Aino's file", total=1)
    core_services.job_finish(job_id=job.pk, file=ContentFile(b'{"name": "Aino"}'), filename="aino.json")
    job.refresh_from_db()
    token, _raw = token_issue(user=aino, name="Aino's phone app")
    feedback = core_services.feedback_create(
        sender=aino, topic="service", message="Terveisin Aino Mäkinen", email=aino.email
    )
    read_by_ville = log_access(
        actor=personas.own_worker, subject_id=aino.pk, obj=aino, purpose="client meeting", route="/people/"
    )
    log_access(actor=personas.coordinator, subject_id=aino.pk, obj=aino, action=Action.LIST, purpose="people list")
    TOTPDevice.objects.create(user=aino, name="Aino's phone", confirmed=True)
    seen = {"ip_address": "192.0.2.1", "user_agent": "Firefox", "http_accept": "*/*", "path_info": "/account/login/"}
    AccessAttempt.objects.create(
        username=aino.email.upper(), get_data="", post_data="username=aino", failures_since_start=1, **seen
    )
    AccessFailureLog.objects.create(username=aino.email, **seen)
    AccessLog.objects.create(username=aino.email, session_hash="abc123", **seen)
    admin_log = LogEntry.objects.create(
        user=personas.administrator,
        content_type=ContentType.objects.get_for_model(aino),
        object_id=str(aino.pk),
        object_repr=str(aino),
        action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["phone"]}}]',
    )
    client.force_login(aino, backend="django.contrib.auth.backends.ModelBackend")
    session_key = client.session.session_key
    return AinoEverywhere(
        aino=aino,
        job=job,
        token=token,
        feedback=feedback,
        read_by_ville=read_by_ville,
        admin_log=admin_log,
        session_key=session_key,
    )
