"""Every purpose the code writes to the access log is registered and translated, so "Who has seen
my data" never shows a raw English code on a Finnish or Swedish page (issue: raw purposes)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.utils import translation

from osallisuus.core.access import purpose_label, registered_purposes

ROOT = Path(__file__).resolve().parent.parent / "osallisuus"


def purposes_in_code() -> dict[str, str]:
    """``purpose="..."`` in calls, and the purpose of ``Shown(actor, "...")``, outside tests."""
    found: dict[str, str] = {}
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in {"PersonalData", "round_create"}:
                continue
            if name == "Shown" and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant):
                found[str(node.args[1].value)] = str(path.relative_to(ROOT))
            for keyword in node.keywords:
                value = keyword.value
                if keyword.arg == "purpose" and isinstance(value, ast.Constant) and isinstance(value.value, str):
                    found[value.value] = str(path.relative_to(ROOT))
    return found


def test_purposes__the_scan_finds_the_purposes_of_the_code():
    found = purposes_in_code()
    assert "people list" in found
    assert "person details" in found


def test_purposes__every_purpose_in_the_code_is_registered():
    registered = registered_purposes()
    missing = {p: where for p, where in purposes_in_code().items() if p not in registered}
    assert not missing, f"Add these to the app's purposes.py: {missing}"


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_purposes__every_registered_purpose_reads_in_finnish_and_swedish(language):
    untranslated = []
    with translation.override(language):
        for code in registered_purposes():
            if purpose_label(code) == code:
                untranslated.append(code)
    assert not untranslated, f"Purposes without a {language} translation: {untranslated}"
