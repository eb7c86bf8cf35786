"""Data-subject export and erasure: the round trip, the dry run, and what the law keeps."""

from __future__ import annotations

import json

import pytest
from django.contrib.sessions.models import Session
from django.utils import translation

from osallisuus.accounts.models import ApiToken, Membership, Relationship, User
from osallisuus.core.models import AccessLogEntry, ChangeEvent, Feedback, JobProgress
from osallisuus.core.personal_data import Erasure, personal_models
from osallisuus.privacy import register, services

from .conftest import AINO_MARKERS

# The models in which the fixture gives Aino at least one row.
FILLED = {
    "accounts.user",
    "accounts.membership",
    "accounts.relationship",
    "accounts.apitoken",
    "core.accesslogentry",
    "core.changeevent",
    "core.jobprogress",
    "core.feedback",
    "otp_totp.totpdevice",
    "axes.accessattempt",
    "axes.accessfailurelog",
    "axes.accesslog",
    "sessions.session",
    "admin.logentry",
}


def _state(subject):
    """Everything an erasure could change, counted per relation, plus the person's own fields."""
    counts = {f"{r.label}:{r.name}": r.rows(subject).count() for r in register.relations()}
    user = User.objects.filter(pk=subject.pk).values().get()
    return counts, user


# -- export ------------------------------------------------------------------------------------


def test_export__has_every_declared_model_and_the_persons_rows(aino_everywhere, personas):
    aino = aino_everywhere.aino

    data = services.subject_export(subject=aino, actor=aino)

    assert set(data["models"]) == set(register.personal_model_labels())
    assert {m._meta.label_lower for m, _spec in personal_models()} <= set(data["models"])
    empty = sorted(label for label in FILLED if not data["models"][label]["rows"])
    assert empty == []
    user_row = data["models"]["accounts.user"]["rows"][0]
    assert user_row["email"] == aino.email
    assert user_row["full_name"] == "Aino Mäkinen"
    assert user_row["phone"] == "040 123 4501"
    reads = data["models"]["core.accesslogentry"]["rows"]
    assert {r["actor_label"] for r in reads} >= {"Ville Häkkinen", "Kaisa Lindström"}
    json.dumps(data)  # JSON-serialisable as it is


def test_export__never_contains_secrets(aino_everywhere):
    aino = aino_everywhere.aino
    aino.refresh_from_db()

    text = json.dumps(services.subject_export(subject=aino, actor=aino))

    assert aino.password not in text
    assert aino_everywhere.token.token_hash not in text
    assert aino_everywhere.session_key not in text
    from django_otp.plugins.otp_totp.models import TOTPDevice

    assert TOTPDevice.objects.get(user=aino).key not in text
    data = json.loads(text)
    assert "password" not in data["models"]["accounts.user"]["rows"][0]
    for row in data["models"]["accounts.apitoken"]["rows"]:
        assert "token_hash" not in row
        assert "prefix" not in row
    for row in data["models"]["axes.accessattempt"]["rows"]:
        assert "post_data" not in row


def test_export__includes_rows_where_the_person_is_an_extra_subject(aino_everywhere, personas):
    ville = personas.own_worker

    data = services.subject_export(subject=ville, actor=ville)

    rows = data["models"]["accounts.relationship"]["rows"]
    as_worker = [r for r in rows if r["about_you_as"] == "worker"]
    assert len(as_worker) == 1
    assert "person" not in as_worker[0]  # the client is another person: left out
    reads = [r for r in data["models"]["core.accesslogentry"]["rows"] if r["about_you_as"] == "actor"]
    assert [r["purpose"] for r in reads] == ["client meeting"]
    assert "subject" not in reads[0]


def test_export__rows_about_someone_else__never_carry_their_declared_personal_fields(aino_everywhere, personas):
    ville = personas.own_worker

    data = services.subject_export(subject=ville, actor=ville)

    declared = {r.label: {*r.fields, *r.special_category} for r in register.relations() if not r.main}
    for label, entry in data["models"].items():
        for row in entry["rows"]:
            if row["about_you_as"] != "subject":
                assert not declared[label] & set(row), (label, row)
    text = json.dumps(data, ensure_ascii=False)
    assert not [m for m in AINO_MARKERS if m in text]


def test_export__by_an_administrator__is_logged_as_export(aino_everywhere, personas):
    aino, marjatta = aino_everywhere.aino, personas.administrator
    before = AccessLogEntry.objects.count()

    services.subject_export(subject=aino, actor=marjatta)

    entry = AccessLogEntry.objects.order_by("-id").first()
    assert AccessLogEntry.objects.count() == before + 1
    assert (entry.actor_id, entry.subject_id, entry.action) == (marjatta.pk, aino.pk, "export")


def test_export__of_ones_own_data__is_not_logged(aino_everywhere):
    before = AccessLogEntry.objects.count()

    services.subject_export(subject=aino_everywhere.aino, actor=aino_everywhere.aino)

    assert AccessLogEntry.objects.count() == before


# -- dry run -----------------------------------------------------------------------------------


def test_erasure_plan__changes_nothing(aino_everywhere):
    aino = aino_everywhere.aino
    before = _state(aino)

    plan = services.subject_erasure_plan(subject=aino)

    assert plan.changes
    assert _state(aino) == before


def test_erasure_plan__shows_delete_anonymise_and_retain_with_the_reason(aino_everywhere):
    plan = services.subject_erasure_plan(subject=aino_everywhere.aino)

    items = {(i.label, i.relation): i for i in plan.items}
    assert items[("accounts.user", "pk")].action == Erasure.ANONYMISE
    assert items[("accounts.membership", "user")].action == Erasure.DELETE
    assert items[("core.feedback", "sender")].action == Erasure.DELETE
    log = items[("core.accesslogentry", "subject")]
    assert log.action == Erasure.RETAIN
    assert log.rows == 2
    assert "703/2023" in log.retention
    assert items[("core.changeevent", "subject")].action == Erasure.RETAIN
    assert {i.label for i in plan.retained} >= {"core.accesslogentry", "core.changeevent"}


# -- the round trip ----------------------------------------------------------------------------


def test_erase__round_trip__leaves_no_name_email_or_phone_and_keeps_the_log(
    aino_everywhere, personas, django_capture_on_commit_callbacks
):
    aino, marjatta = aino_everywhere.aino, personas.administrator
    before_export = json.dumps(services.subject_export(subject=aino, actor=aino), ensure_ascii=False)
    assert all(marker in before_export for marker in AINO_MARKERS)
    log_ids = set(AccessLogEntry.objects.filter(subject=aino).values_list("pk", flat=True))
    event_ids = set(ChangeEvent.objects.filter(subject=aino).values_list("pk", flat=True))
    job_file = aino_everywhere.job.result_file
    storage, file_name = job_file.storage, job_file.name
    assert storage.exists(file_name)

    with django_capture_on_commit_callbacks(execute=True):
        services.subject_erase(subject=aino, actor=marjatta)

    aino.refresh_from_db()
    after = services.subject_export(subject=aino, actor=aino)
    retained = {r.label for r in register.relations() if r.erasure == Erasure.RETAIN}
    for label, entry in after["models"].items():
        for row in entry["rows"]:
            if label in retained and row.get("actor") == aino.pk:
                # Append-only rows of her own actions keep "who at the time" by law; nothing else.
                row = {k: v for k, v in row.items() if k != "actor_label"}
            text = json.dumps(row, ensure_ascii=False)
            assert not [m for m in AINO_MARKERS if m in text], (label, row)
    assert aino.email == f"erased-{aino.pk}@erased.invalid"
    assert (aino.full_name, aino.phone, aino.municipality) == ("", "", "")
    assert not aino.has_usable_password()
    assert not aino.is_active
    assert aino.erased_at is not None
    # The access log and the change events about her are all still there, untouched.
    assert log_ids <= set(AccessLogEntry.objects.filter(subject=aino).values_list("pk", flat=True))
    assert event_ids <= set(ChangeEvent.objects.filter(subject=aino).values_list("pk", flat=True))
    assert AccessLogEntry.objects.get(pk=aino_everywhere.read_by_ville.pk).actor_label == "Ville Häkkinen"
    # Deleted: memberships, relationships, tokens, feedback, jobs and their files, devices, sessions.
    assert not Membership.objects.filter(user=aino).exists()
    assert not Relationship.objects.filter(person=aino).exists()
    assert not ApiToken.objects.filter(user=aino).exists()
    assert not Feedback.objects.filter(pk=aino_everywhere.feedback.pk).exists()
    assert not JobProgress.objects.filter(owner=aino).exists()
    assert not storage.exists(file_name)
    assert not Session.objects.filter(session_key=aino_everywhere.session_key).exists()
    from axes.models import AccessAttempt, AccessLog
    from django_otp.plugins.otp_totp.models import TOTPDevice

    assert not TOTPDevice.objects.filter(user=aino).exists()
    assert not AccessAttempt.objects.exists()
    assert not AccessLog.objects.exists()
    # The admin site's history about her account is kept without her name.
    aino_everywhere.admin_log.refresh_from_db()
    assert aino_everywhere.admin_log.object_repr == ""
    # The erasure itself is a change event, without personal data.
    event = ChangeEvent.objects.get(verb="privacy.subject.erased")
    assert (event.actor_id, event.subject_id) == (marjatta.pk, aino.pk)
    assert not any(marker in json.dumps(event.data, ensure_ascii=False) for marker in AINO_MARKERS)


def test_erase__other_people__are_untouched(aino_everywhere, personas):
    ville = personas.own_worker
    ville_before = User.objects.filter(pk=ville.pk).values().get()
    ville_memberships = Membership.objects.filter(user=ville).count()

    services.subject_erase(subject=aino_everywhere.aino, actor=personas.administrator)

    assert User.objects.filter(pk=ville.pk).values().get() == ville_before
    assert Membership.objects.filter(user=ville).count() == ville_memberships


def test_erase__a_worker__keeps_their_clients_records_and_their_reads_in_the_log(aino_everywhere, personas):
    ville, aino = personas.own_worker, aino_everywhere.aino
    reads = AccessLogEntry.objects.filter(actor=ville).count()
    assert reads >= 1
    aino_relationships = list(Relationship.objects.filter(person=aino).values())

    plan = services.subject_erase(subject=ville, actor=personas.administrator)

    # The relationship is part of Aino's record: kept, linked to an account without a name.
    assert list(Relationship.objects.filter(person=aino).values()) == aino_relationships
    assert AccessLogEntry.objects.filter(actor=ville).count() == reads
    items = {(i.label, i.relation): i for i in plan.items}
    assert items[("core.accesslogentry", "actor")].action == Erasure.RETAIN
    assert items[("accounts.relationship", "worker")].action == Erasure.RETAIN
    with translation.override("en"):
        assert "another person's record" in str(items[("accounts.relationship", "worker")].retention)
    ville.refresh_from_db()
    assert ville.full_name == ""
    assert ville.email == f"erased-{ville.pk}@erased.invalid"


def test_erasure_plan__rows_where_the_person_is_an_extra_party__are_never_deleted(db):
    extra = [r for r in register.relations() if not r.main]

    assert extra
    assert {r.erasure for r in extra} == {Erasure.RETAIN}
    assert all(r.retention for r in extra)


def test_erase__own_account__is_refused_and_changes_nothing(personas):
    marjatta = personas.administrator
    before = _state(marjatta)

    with pytest.raises(services.ErasureRefused):
        services.subject_erase(subject=marjatta, actor=marjatta)

    assert _state(marjatta) == before


def test_erase__twice__is_harmless(aino_everywhere, personas):
    aino = aino_everywhere.aino
    services.subject_erase(subject=aino, actor=personas.administrator)

    services.subject_erase(subject=aino, actor=personas.administrator)

    aino.refresh_from_db()
    assert aino.email == f"erased-{aino.pk}@erased.invalid"
    assert ChangeEvent.objects.filter(verb="privacy.subject.erased", subject=aino).count() == 2
    assert services.subject_erasure_plan(subject=aino).already_erased
