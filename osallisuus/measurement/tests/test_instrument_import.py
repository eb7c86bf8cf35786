"""Instrument files: the round trip, locked versions, and errors that name the line and field."""

from __future__ import annotations

import json

import pytest

from osallisuus.measurement import services
from osallisuus.measurement.definition import DefinitionError
from osallisuus.measurement.models import Instrument, Item
from osallisuus.measurement.signals import shipped_instrument_files

MINIMAL = {
    "format": "osallisuus.instrument/1",
    "code": "test-scale",
    "version": "1",
    "name": {"fi": "Testi", "sv": "Test"},
    "owner": "Test owner",
    "languages": ["fi", "sv"],
    "group_reporting_only": True,
    "scales": [
        {
            "code": "s3",
            "points": [
                {"value": 1, "label": {"fi": "ei", "sv": "nej"}},
                {"value": 2, "label": {"fi": "ehkä", "sv": "kanske"}},
                {"value": 3, "label": {"fi": "kyllä", "sv": "ja"}},
            ],
        }
    ],
    "items": [
        {"code": "a", "text": {"fi": "A?", "sv": "A?"}, "scale": "s3"},
        {"code": "b", "text": {"fi": "B?", "sv": "B?"}, "scale": "s3", "reverse": True},
    ],
    "scoring": {"method": "sum", "transform": {"from": [2, 6], "to": [0, 100]}},
    "bands": [{"code": "low", "min": 0, "label": {"fi": "Matala", "sv": "Låg"}}],
}


def raw(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def test_import__then_export__imports_again_unchanged(db):
    first = services.instrument_import(raw=raw(MINIMAL), actor=None)
    exported = services.instrument_export(instrument=first.instrument)
    again = services.instrument_import(raw=exported, actor=None)
    assert first.created
    assert not again.created
    assert again.instrument.pk == first.instrument.pk
    assert json.loads(exported) == first.instrument.definition
    assert Instrument.objects.filter(code="test-scale").count() == 1


def test_export__of_every_shipped_instrument__round_trips_into_an_empty_database(db):
    for path in shipped_instrument_files():
        instrument = Instrument.objects.get(code=json.loads(path.read_bytes())["code"])
        exported = services.instrument_export(instrument=instrument)
        definition_before = instrument.definition
        Item.objects.filter(instrument=instrument).delete()
        instrument.delete()
        result = services.instrument_import(raw=exported, actor=None)
        assert result.created
        assert result.instrument.definition == definition_before
        assert services.instrument_export(instrument=result.instrument) == exported


def test_import__modified_file_with_the_same_version__is_refused_and_nothing_changes(db):
    services.instrument_import(raw=raw(MINIMAL), actor=None)
    changed = json.loads(raw(MINIMAL))
    changed["items"][0]["text"]["fi"] = "Muutettu A?"
    with pytest.raises(services.InstrumentVersionConflict):
        services.instrument_import(raw=raw(changed), actor=None)
    instrument = Instrument.objects.get(code="test-scale")
    assert instrument.items.get(code="a").text["fi"] == "A?"


def test_import__modified_file_with_a_new_version__is_a_new_locked_instrument(db):
    services.instrument_import(raw=raw(MINIMAL), actor=None)
    changed = json.loads(raw(MINIMAL))
    changed["version"] = "2"
    result = services.instrument_import(raw=raw(changed), actor=None)
    assert result.created
    assert Instrument.objects.filter(code="test-scale").count() == 2


def test_import__bad_scale_reference__names_the_line_and_field_and_imports_nothing(db):
    bad = json.loads(raw(MINIMAL))
    bad["items"][1]["scale"] = "s7"
    text = raw(bad)
    with pytest.raises(DefinitionError) as caught:
        services.instrument_import(raw=text, actor=None)
    problem = caught.value.problems[0]
    expected_line = next(n for n, line in enumerate(text.decode().splitlines(), start=1) if '"s7"' in line)
    assert problem.path == "items[1].scale"
    assert problem.line == expected_line
    assert f"line {expected_line}, items[1].scale" in str(problem)
    assert not Instrument.objects.filter(code="test-scale").exists()


def test_import__broken_json__names_the_line(db):
    with pytest.raises(DefinitionError) as caught:
        services.instrument_import(raw=b'{\n  "format": "osallisuus.instrument/1",\n  "code": \n}', actor=None)
    assert caught.value.problems[0].line == 4


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d.update(format="other/1"), "format"),
        (lambda d: d["name"].pop("sv"), "name"),
        (lambda d: d.update(unknown=1), "unknown"),
        (lambda d: d["items"][0].update(code="A B"), "items[0].code"),
        (lambda d: d["scales"][0]["points"][1].update(value="2"), "scales[0].points[1].value"),
        (lambda d: d.update(allow_sharing_with_worker=True), "allow_sharing_with_worker"),
        (lambda d: d["scoring"]["transform"].update({"from": [1, 1]}), "scoring.transform.from"),
        (lambda d: d["bands"].append({"code": "x", "min": -5, "label": {"fi": "x", "sv": "x"}}), "bands[1].min"),
    ],
)
def test_import__each_kind_of_mistake__is_named_and_nothing_is_imported(db, change, path):
    data = json.loads(raw(MINIMAL))
    change(data)
    with pytest.raises(DefinitionError) as caught:
        services.instrument_import(raw=raw(data), actor=None)
    assert path in [p.path for p in caught.value.problems]
    assert not Instrument.objects.filter(code="test-scale").exists()


def test_shipped_files__validate_against_the_published_json_schema():
    import jsonschema
    from django.conf import settings

    schema = json.loads((settings.BASE_DIR / "docs" / "measurement-instrument.schema.json").read_text())
    for path in shipped_instrument_files():
        jsonschema.validate(json.loads(path.read_bytes()), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**MINIMAL, "unknown": 1}, schema)


def test_import_page__bad_file__answers_400_with_the_problems(personas, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(personas.administrator)
    bad = json.loads(raw(MINIMAL))
    bad["items"][1]["scale"] = "s7"
    upload = SimpleUploadedFile("x.json", raw(bad), content_type="application/json")
    response = client.post("/measurement/instruments/import/", {"file": upload})
    assert response.status_code == 400
    assert "items[1].scale" in response.content.decode()
    assert not Instrument.objects.filter(code="test-scale").exists()


def test_import_command__imports_and_refuses_the_changed_same_version(db, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "i.json"
    path.write_bytes(raw(MINIMAL))
    call_command("measurement_import_instrument", str(path))
    changed = json.loads(raw(MINIMAL))
    changed["owner"] = "Someone else"
    path.write_bytes(raw(changed))
    with pytest.raises(CommandError):
        call_command("measurement_import_instrument", str(path))
    assert Instrument.objects.get(code="test-scale").owner == "Test owner"
