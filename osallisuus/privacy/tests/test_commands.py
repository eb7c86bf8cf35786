"""The management commands ``subject_export`` and ``subject_erase``."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from osallisuus.accounts.models import Membership, User
from osallisuus.core.models import AccessLogEntry


def test_subject_export__prints_json_and_logs_the_export(aino_everywhere):
    aino = aino_everywhere.aino
    out = io.StringIO()

    call_command("subject_export", aino.email.upper(), stdout=out)

    data = json.loads(out.getvalue())
    assert data["models"]["accounts.user"]["rows"][0]["email"] == aino.email
    entry = AccessLogEntry.objects.order_by("-id").first()
    assert (entry.actor_id, entry.subject_id, entry.action) == (None, aino.pk, "export")


def test_subject_export__to_a_file(aino_everywhere, tmp_path):
    target = tmp_path / "aino.json"

    call_command("subject_export", aino_everywhere.aino.email, "--output", str(target), stderr=io.StringIO())

    assert json.loads(target.read_text(encoding="utf-8"))["subject_id"] == aino_everywhere.aino.pk


def test_subject_export__unknown_email__fails_clearly(db):
    with pytest.raises(CommandError, match="No account"):
        call_command("subject_export", "nobody@example.fi")


def test_subject_erase__dry_run__prints_the_plan_and_changes_nothing(aino_everywhere):
    aino = aino_everywhere.aino
    before = (User.objects.filter(pk=aino.pk).values().get(), Membership.objects.filter(user=aino).count())
    out = io.StringIO()

    call_command("subject_erase", aino.email, "--dry-run", stdout=out)

    text = out.getvalue()
    assert "core.accesslogentry" in text
    assert "retain" in text
    assert "Dry run" in text
    assert (User.objects.filter(pk=aino.pk).values().get(), Membership.objects.filter(user=aino).count()) == before


def test_subject_erase__no_input__erases(aino_everywhere):
    aino = aino_everywhere.aino

    call_command("subject_erase", aino.email, "--no-input", stdout=io.StringIO())

    aino.refresh_from_db()
    assert aino.erased_at is not None
    assert aino.email.endswith("@erased.invalid")


def test_subject_erase__answer_no__changes_nothing(aino_everywhere, monkeypatch):
    aino = aino_everywhere.aino
    monkeypatch.setattr("builtins.input", lambda prompt: "no")

    with pytest.raises(CommandError, match="Cancelled"):
        call_command("subject_erase", aino.email, stdout=io.StringIO())

    aino.refresh_from_db()
    assert aino.erased_at is None
    assert aino.full_name == "Aino Mäkinen"
