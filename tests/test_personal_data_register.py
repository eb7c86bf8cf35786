"""The personal-data register (issue 2, item 6).

Every concrete model of the project declares ``personal_data``; every field a declaration
names exists; fields that look personal are declared (or accepted below, with a reason);
subject paths lead to the user model; and every third-party model is covered by the
table in ``osallisuus.privacy.register``. So nothing personal is forgotten by the export
and the erasure.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test.utils import isolate_apps
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from osallisuus.core.personal_data import Erasure, NoPersonalData, PersonalData, declaration, project_models
from osallisuus.privacy import register

# Field names that usually hold personal data. A name matches when one of its parts
# (split at "_") starts with one of these: full_name, email_address, birth_date, notes...
PERSONAL_LOOKING = (
    "name",
    "email",
    "phone",
    "address",
    "birth",
    "ssn",
    "identity",
    "story",
    "diagnosis",
    "note",
    "message",
    "text",
    "description",
)

# Fields that look personal but are not, each with the reason. Key: "app_label.Model.field".
NOT_PERSONAL: dict[str, str] = {
    "core.ScheduledRun.name": "The name of a periodic job in the code, such as 'experts.reminders'.",
    "accounts.Organisation.name": "An organisation is a legal person, not a natural person.",
    "accounts.Permission.description": "Describes what a permission allows; a code list.",
    "accounts.Role.name_fi": "The name of a role in Finnish; a code list.",
    "accounts.Role.name_sv": "The name of a role in Swedish; a code list.",
    "accounts.Role.name_en": "The name of a role in English; a code list.",
    "experts.ExperienceArea.name_fi": "Code list of experience areas (name in Finnish).",
    "experts.ExperienceArea.name_sv": "Code list of experience areas (name in Swedish).",
    "experts.ExperienceArea.name_en": "Code list of experience areas (name in English).",
    "experts.TaskType.name_fi": "Code list of task types (name in Finnish).",
    "experts.TaskType.name_sv": "Code list of task types (name in Swedish).",
    "experts.TaskType.name_en": "Code list of task types (name in English).",
    "experts.TrainingRecommendation.name": "The name of a published training recommendation.",
    "experts.FeeSchedule.name": "The name of an organisation's fee schedule.",
    "experts.FeeItem.name": "The name of a line in an organisation's fee schedule.",
    "experts.FeeItem.name_sv": "The name of a line in an organisation's fee schedule, in Swedish.",
    "experts.FeeItem.name_en": "The name of a line in an organisation's fee schedule, in English.",
    "measurement.Instrument.name": "The name of a questionnaire (per language), not of a person.",
    "measurement.Item.text": "The wording of a question in a questionnaire; the answers are declared elsewhere.",
    "measurement.Round.name": "The name of a measurement round for a group, e.g. 'Spring 2027'.",
    "funding.Programme.name": "The name of a funding programme, e.g. 'Järvilahden kumppanuusrahoitus 2027'.",
    "funding.Programme.description": "What a funding programme is about, written by the organisation that runs it.",
    "funding.Call.name": "The name of a call for funding applications.",
    "funding.Call.description": "What a call for funding applications asks for.",
    "funding.Criterion.name": "A review criterion of a call.",
    "funding.Criterion.description": "What a review criterion of a call means.",
    "funding.Output.description": "A planned output of a project, written by the applicant organisation.",
    "funding.CostLine.description": "A line of a project's cost estimate.",
    "funding.FinancingLine.note": "A note on a line of a project's financing plan.",
    "funding.Attachment.name": "The file name of a document an organisation attached to its application.",
    "funding.Recommendation.note": "A funder's note to the decision bodies on an application.",
    "funding.Report.text": "An organisation's report on its funded project.",
    "funding.Payment.note": "An officer's note on a payment between organisations.",
    "funding.Group.name": "The name of a steering or project group.",
    "funding.GroupDecision.text": "A decision a steering or project group recorded in its minutes.",
    "budgeting.Process.name": "The name of a participatory budgeting process, e.g. 'Nuorten KAAOS-haaste 2026'.",
    "budgeting.Process.description": "What a participatory budgeting process is about, written by its organisation.",
    "budgeting.Proposal.provider_name": "The organisation or firm that could carry out a proposal.",
    "budgeting.Purchase.provider_name": "The organisation or firm a winning proposal is bought from.",
    "budgeting.Purchase.delivery_note": "What was done when a winner was carried out, recorded by the organisations.",
    "networks.Network.name": "The name of a network of organisations, e.g. 'Ehkäisevän päihdetyön verkosto'.",
    "networks.Meeting.notes": "Condensed notes of a network meeting, written by the coordinator for the members "
    "about the network's work.",
    "networks.Meeting.notes_published_on": "The day a meeting's notes were published to the network.",
    "networks.GoalChange.note": "A note on the status of a network's goal, about the network's work.",
    "networks.Resource.description": "What a resource of a network was (a room, coffee), counted per organisation.",
    "core.JobProgress.message": "Progress text written by the job's own code ('3 of 10 rows'), never typed by a "
    "person; the job's result, which can be personal, is declared (result_file, result_name).",
}


def looks_personal(field: models.Field) -> bool:
    parts = [p for p in re.split(r"_+", field.name.lower()) if p]
    return any(part.startswith(word) for part in parts for word in PERSONAL_LOOKING)


def is_user_fk(field: models.Field) -> bool:
    return bool(field.is_relation and field.related_model is register.user_model())


def declaration_problems(model: type[models.Model], *, not_personal: dict[str, str] | None = None) -> list[str]:
    """Everything wrong with one model's declaration, as readable lines."""
    accepted = NOT_PERSONAL if not_personal is None else not_personal
    label = model._meta.label
    spec = declaration(model)
    if spec is None:
        return [f"{label}: no `personal_data = PersonalData(...)` or `NoPersonalData(reason=...)`"]
    problems: list[str] = []
    field_names = {f.name for f in model._meta.get_fields()}
    own_fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
    if isinstance(spec, NoPersonalData):
        if not spec.reason.strip():
            problems.append(f"{label}: NoPersonalData needs a reason")
        covered: set[str] = set()
    else:
        assert isinstance(spec, PersonalData)
        declared = {
            "fields": spec.fields,
            "special_category": spec.special_category,
            "never_export": spec.never_export,
        }
        for kind, names in declared.items():
            for name in names:
                if name not in field_names:
                    problems.append(f"{label}: `{kind}` names `{name}`, which is not a field")
        for path in (spec.subject, *spec.extra_subjects):
            if not register.resolves_to_user(model, path):
                problems.append(f"{label}: subject path `{path}` does not lead to {settings.AUTH_USER_MODEL}")
        if not spec.purpose.strip():
            problems.append(f"{label}: PersonalData needs a purpose (record of processing)")
        if spec.erasure == Erasure.RETAIN and not spec.retention.strip():
            problems.append(f"{label}: erasure RETAIN needs the legal reason in `retention`")
        covered = set(spec.all_fields()) | set(spec.never_export)
        covered |= {path.split("__")[0] for path in (spec.subject, *spec.extra_subjects) if path != "pk"}
    for f in own_fields:
        key = f"{label}.{f.name}"
        if f.name in covered or key in accepted or f.primary_key:
            continue
        if is_user_fk(f):
            problems.append(f"{key}: points to a person but is not declared")
        elif looks_personal(f):
            problems.append(f"{key}: looks personal; declare it or accept it in NOT_PERSONAL with a reason")
    return problems


# -- the register itself ---------------------------------------------------------------------


def test_register__every_project_model__is_declared_correctly(db):
    problems = [p for model in project_models() for p in declaration_problems(model)]
    assert problems == []


def test_register__every_project_app__is_in_personal_data_apps():
    own_apps = {c.label for c in apps.get_app_configs() if c.name.startswith("osallisuus.")}
    assert own_apps - set(settings.PERSONAL_DATA_APPS) == set()


def test_register__every_third_party_model__is_in_the_privacy_table():
    third_party = {c.label for c in apps.get_app_configs() if not c.name.startswith("osallisuus.")}
    listed = {e.label.lower() for e in register.EXTERNAL_MODELS}
    missing = sorted(
        m._meta.label
        for m in apps.get_models()
        if m._meta.app_label in third_party and m._meta.label_lower not in listed
    )
    assert missing == []


def test_register__third_party_table__names_installed_models_and_real_fields():
    for entry in register.EXTERNAL_MODELS:
        model = entry.model()
        assert model is not None, entry.label
        assert entry.reason.strip(), entry.label
        names = {f.name for f in model._meta.get_fields()}
        assert set(entry.fields) <= names, entry.label
        assert set(entry.never_export) <= names, entry.label
        for rel in entry.relations:
            assert set(rel.anonymise_fields) <= names, entry.label
            if rel.erasure == Erasure.RETAIN:
                assert rel.retention.strip(), entry.label


def test_register__not_personal_allow_list__names_existing_fields():
    for key in NOT_PERSONAL:
        label, field = key.rsplit(".", 1)
        installed = {c.label for c in apps.get_app_configs()}
        if label.split(".")[0] not in installed:
            continue  # a module that is not installed in this configuration
        assert field in {f.name for f in apps.get_model(label)._meta.get_fields()}, key


def test_register__third_party_tables_with_personal_data__are_covered():
    personal = {e.label for e in register.EXTERNAL_MODELS if e.holds_personal_data}
    assert {
        "otp_totp.TOTPDevice",
        "axes.AccessAttempt",
        "axes.AccessLog",
        "axes.AccessFailureLog",
        "sessions.Session",
        "admin.LogEntry",
    } <= personal


def test_register__every_relation__ends_at_the_export_keys(db):
    labels = register.personal_model_labels()
    assert "accounts.user" in labels
    assert "core.accesslogentry" in labels
    assert "otp_totp.totpdevice" in labels
    assert "sessions.session" in labels


# -- the checks can fail -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("declaration_kwargs", "expected"),
    [
        ({}, "no `personal_data"),
        ({"personal_data": NoPersonalData(reason="Not about people.")}, "points to a person but is not declared"),
        (
            {"personal_data": PersonalData(subject="owner", fields=("nickname",), purpose="p")},
            "`nickname`, which is not a field",
        ),
        (
            {"personal_data": PersonalData(subject="title", fields=("story",), purpose="p")},
            "subject path `title` does not lead",
        ),
        (
            {"personal_data": PersonalData(subject="owner", fields=("title",), purpose="p")},
            "Thing.story: looks personal",
        ),
        (
            {"personal_data": PersonalData(subject="owner", fields=("story",), purpose="p", erasure=Erasure.RETAIN)},
            "RETAIN needs the legal reason",
        ),
    ],
)
def test_register_check__a_wrong_declaration__is_reported(declaration_kwargs, expected):
    with isolate_apps("osallisuus.privacy"):
        attrs = {
            "__module__": "osallisuus.privacy.models",
            "owner": models.ForeignKey(register.user_model(), on_delete=models.CASCADE, related_name="+"),
            "title": models.CharField(max_length=10),
            "story": models.TextField(),
            **declaration_kwargs,
        }
        model = type("Thing", (models.Model,), attrs)
        problems = declaration_problems(model)
    assert any(expected in p for p in problems), problems


def test_register_check__a_correct_declaration__has_no_problems():
    with isolate_apps("osallisuus.privacy"):
        model = type(
            "Story",
            (models.Model,),
            {
                "__module__": "osallisuus.privacy.models",
                "owner": models.ForeignKey(register.user_model(), on_delete=models.CASCADE, related_name="+"),
                "story": models.TextField(),
                "personal_data": PersonalData(
                    subject="owner", fields=(), special_category=("story",), purpose="Lived experience."
                ),
            },
        )
        assert declaration_problems(model) == []


def test_looks_personal__catches_the_usual_names_and_not_others():
    def field(name: str) -> models.Field:
        f = models.CharField(max_length=1)
        f.name = name
        return f

    for name in ("full_name", "email", "phone_number", "birth_date", "home_address", "notes", "life_story"):
        assert looks_personal(field(name)), name
    for name in ("context", "kind", "status", "created_at", "page_url"):
        assert not looks_personal(field(name)), name


# -- the texts people read are translated ------------------------------------------------------


def shown_texts() -> list[tuple[str, object]]:
    """(where, text) of every non-empty purpose and retention text that reaches a page or an export
    (the project's declarations, the third-party table and the register's own texts), and the
    reasons the record of processing shows for the models without personal data."""
    found: list[tuple[str, object]] = []
    for rel in register.relations():
        for kind, text in (("purpose", rel.purpose), ("retention", rel.retention), ("title", rel.title)):
            if str(text).strip():
                found.append((f"{rel.label} ({rel.name}) {kind}", text))
    for label, _name, reason in register.models_without_personal_data():
        found.append((f"{label} reason", reason))
    return found


def not_lazy(texts: list[tuple[str, object]]) -> list[str]:
    return [where for where, text in texts if not isinstance(text, Promise)]


def untranslated(texts: list[tuple[str, object]], language: str) -> list[str]:
    """The texts whose translation into ``language`` is missing (the English text comes back)."""
    missing = []
    for where, text in texts:
        with translation.override("en"):
            english = str(text)
        with translation.override(language):
            translated = str(text)
        if not translated.strip() or translated == english:
            missing.append(f"{where}: {english}")
    return missing


def test_register_texts__are_lazy_so_each_page_shows_its_own_language():
    assert not_lazy(shown_texts()) == [], "wrap these in gettext_lazy"


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_register_texts__every_purpose_and_retention__is_translated(language):
    assert untranslated(shown_texts(), language) == [], (
        f"add these to the app's locale/{language}/LC_MESSAGES/django.po"
    )


def test_register_texts_check__catches_a_plain_string_and_a_missing_translation():
    texts = [
        ("plain", "Not wrapped in gettext."),
        ("lazy, not in any catalogue", gettext_lazy("A purpose nobody has translated yet.")),
        ("lazy and translated", register.LOGIN_SECURITY),
    ]

    assert not_lazy(texts) == ["plain"]
    assert untranslated(texts, "fi") == [
        "plain: Not wrapped in gettext.",
        "lazy, not in any catalogue: A purpose nobody has translated yet.",
    ]


# -- the record of processing ------------------------------------------------------------------


def test_record_of_processing__lists_every_personal_model_with_purpose_and_erasure(db):
    records = {r.label: r for r in register.record_of_processing()}
    assert set(records) == set(register.personal_model_labels())
    user = records["accounts.user"]
    assert user.purpose
    assert any("anonymise" in e for e in user.erasure)
    log = records["core.accesslogentry"]
    assert any("retain" in e for e in log.erasure)
    assert log.retention


def test_record_of_processing_page__administrator_sees_every_model(personas, login):
    client = login(personas.administrator)
    response = client.get("/privacy/record-of-processing/")
    assert response.status_code == 200
    html = response.content.decode()
    for label in register.personal_model_labels():
        assert label in html
    assert "accounts.organisation" in html  # the models without personal data, with the reason
    # Purpose and retention in the page's language (Finnish first).
    assert "Jotta henkilö tunnistetaan, hän voi kirjautua palveluun ja häneen saadaan yhteys." in html
    assert "Säilytetään kuusi vuotta tilikauden päättymisen jälkeen (kirjanpitolaki 2:10)." in html
    assert "Organisaatiot ovat oikeushenkilöitä, eivät luonnollisia henkilöitä." in html
    assert "Identify the person, let them log in" not in html


@pytest.mark.parametrize("role", ["participant", "own_worker", "coordinator", "expert", "analyst"])
def test_record_of_processing_page__other_roles__get_403(personas, login, role):
    client = login(personas[role])
    assert client.get("/privacy/record-of-processing/").status_code == 403
