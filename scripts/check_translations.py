"""Every text the code and templates show has a Finnish and a Swedish translation, and one
English text means one thing.

Runs ``makemessages`` for each app and for the project templates in a throw-away copy of
the working tree (the real .po files are not touched) and lists the entries that are new,
empty or fuzzy in fi or sv. Texts used only in tests are left out.

Django merges every catalog into one, so the same English msgid translated differently in two
apps shows one of them everywhere ("Answer" as a verb where a column heading is meant). Such
clashes are listed too: give the short, ambiguous word a context with ``pgettext`` (or the same
translation everywhere). Exits 1 when something is wrong, so CI fails before a page shows it.

    .venv/bin/python scripts/check_translations.py
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".git", ".venv", "node_modules", "var", "staticfiles", "__pycache__", ".mypy_cache", ".ruff_cache"}
LANGUAGES = ("fi", "sv")
# Plain Finnish (selkosuomi, fi-x-selko) is complete for the participants' own pages only; other
# texts fall back to standard Finnish. It is its own language, so it never clashes with fi.
# A page is a template, or the code it shows texts from: ``forms.py::GoalForm`` is the lines of
# that class (or function; ``models.py::Goal.Lifecycle`` for a nested one), found with ``ast``.
PLAIN_FINNISH = "fi_X-selko"
PLAIN_FINNISH_PAGES = {
    "activation": (
        "templates/activation/plan.html",
        "templates/activation/goal_detail.html",
        "templates/activation/activity_detail.html",
        "templates/activation/catalogue.html",
        "templates/activation/goal_form.html",
        "templates/activation/_back.html",
        "templates/activation/_submit.html",
        "forms.py::GoalForm",
        "forms.py::GoalEditForm",
        "models.py::Basket",
        "models.py::Goal.Lifecycle",
        "models.py::Goal.Achievement",
        "selectors/plans.py::plan_link",
    ),
    "measurement": (
        "templates/measurement/respond_intro.html",
        "templates/measurement/respond.html",
        "templates/measurement/link_invalid.html",
        "templates/measurement/link_not_yours.html",
        "templates/measurement/link_sent.html",
        "templates/measurement/withdrawn.html",
        "templates/measurement/my_questionnaires.html",
        "templates/measurement/response_answers.html",
        "forms.py::answer_form_class",
        "forms.py::ShareForm",
        "services/links.py::_invitation_for",
        "services/links.py::link_find",
        "services/links.py::link_open",
        "services/links.py::link_withdraw",
        "permissions.py::can_use_link",
        "views/answering.py",
        "models.py::Response.Status",
    ),
    "privacy": ("templates/privacy/my_access_log.html", "templates/privacy/my_data.html"),
    "core": ("templates/core/accessibility.html",),
}


def _lines_of(source: Path, name: str) -> range:
    """The lines of the class or function ``name`` (dotted for a nested one) in ``source``."""
    body = ast.parse(source.read_text(encoding="utf-8")).body
    node: ast.ClassDef | ast.FunctionDef | None = None
    for part in name.split("."):
        node = next(
            (n for n in body if isinstance(n, ast.ClassDef | ast.FunctionDef) and n.name == part),
            None,
        )
        if node is None:
            raise SystemExit(f"PLAIN_FINNISH_PAGES: no {name} in {source}")
        body = node.body
    assert node is not None
    return range(node.lineno, (node.end_lineno or node.lineno) + 1)


def plain_finnish_refs(app: Path) -> tuple[set[str], set[tuple[str, int]]]:
    """The app's plain-Finnish pages: whole files, and (file, line) of the named classes."""
    files, lines = set(), set()
    for page in PLAIN_FINNISH_PAGES.get(app.name, ()):
        path, _sep, name = page.partition("::")
        if name:
            lines |= {(path, n) for n in _lines_of(app / path, name)}
        else:
            files.add(path)
    return files, lines


def entries(po: Path) -> list[str]:
    return [chunk for chunk in re.split(r"\n\s*\n", po.read_text(encoding="utf-8")) if "msgid" in chunk]


def missing(po: Path) -> list[str]:
    """Entries without a translation (or marked fuzzy) that some non-test code uses."""
    found = []
    for chunk in entries(po):
        lines = chunk.splitlines()
        if all(line.startswith("#~") for line in lines if line.strip()):
            continue  # obsolete
        refs = [ref for line in lines if line.startswith("#:") for ref in line[2:].split()]
        if refs and all(ref.startswith("tests/") or "/tests/" in ref for ref in refs):
            continue
        msgid = re.search(r'^msgid (".*"(?:\n".*")*)', chunk, re.M)
        if msgid is None or msgid.group(1) == '""':
            continue  # the header
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        strs = re.findall(r'^msgstr(?:\[\d+\])? (".*"(?:\n".*")*)', chunk, re.M)
        if fuzzy or not strs or any(s == '""' for s in strs):
            found.append(f"{', '.join(refs[:2]) or '?'}: {msgid.group(1)[:100]}")
    return found


def translations_of(po: Path) -> dict[tuple[str, str], str]:
    """(context, msgid) → the translation, for the entries that have one."""
    out: dict[tuple[str, str], str] = {}
    for chunk in entries(po):
        lines = [line for line in chunk.splitlines() if not line.startswith("#")]
        text = "\n".join(lines)
        msgid = re.search(r'^msgid (".*"(?:\n".*")*)', text, re.M)
        if msgid is None or msgid.group(1) == '""':
            continue
        context = re.search(r'^msgctxt (".*"(?:\n".*")*)', text, re.M)
        strs = re.findall(r'^msgstr(?:\[\d+\])? (".*"(?:\n".*")*)', text, re.M)
        if strs and all(s != '""' for s in strs):
            out[(context.group(1) if context else "", msgid.group(1))] = " | ".join(strs)
    return out


def clashes(catalogs: list[Path]) -> list[str]:
    """One msgid (in one context) translated differently in two catalogs of one language."""
    found = []
    seen: dict[tuple[str, str], tuple[str, Path]] = {}
    for po in catalogs:
        for key, value in translations_of(po).items():
            if key in seen and seen[key][0] != value:
                other_value, other = seen[key]
                found.append(f"{key[1][:60]}: {other_value[:50]} ({other.parts[-5]}) ≠ {value[:50]} ({po.parts[-5]})")
            seen.setdefault(key, (value, po))
    return found


def _joined(quoted: str) -> str:
    """A .po string however it was wrapped: ``"a "\n"b"`` → ``a b``."""
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', quoted))


def plain_finnish_missing(app: Path) -> list[str]:
    """The texts of the app's plain-Finnish pages (found through the Finnish catalog's
    references) that have no plain version."""
    if not PLAIN_FINNISH_PAGES.get(app.name):
        return []
    files, page_lines = plain_finnish_refs(app)
    plain_po = app / "locale" / PLAIN_FINNISH / "LC_MESSAGES" / "django.po"
    plain = {(_joined(c), _joined(m)) for c, m in (translations_of(plain_po) if plain_po.exists() else {})}
    found = []
    for chunk in entries(app / "locale" / "fi" / "LC_MESSAGES" / "django.po"):
        refs = [ref.rpartition(":") for line in chunk.splitlines() if line.startswith("#:") for ref in line[2:].split()]
        if not any(f in files or (f, int(n or 0)) in page_lines for f, _sep, n in refs):
            continue
        text = "\n".join(line for line in chunk.splitlines() if not line.startswith("#"))
        msgid = re.search(r'^msgid (".*"(?:\n".*")*)', text, re.M)
        context = re.search(r'^msgctxt (".*"(?:\n".*")*)', text, re.M)
        if msgid is None or msgid.group(1) == '""':
            continue
        if (_joined(context.group(1) if context else ""), _joined(msgid.group(1))) not in plain:
            found.append(f"{''.join(refs[0])}: {msgid.group(1)[:100]}")
    return found


def main() -> int:
    python = str(ROOT / ".venv" / "bin" / "python")
    env = {**os.environ, "SECRET_KEY": os.environ.get("SECRET_KEY", "check-translations-only")}
    problems = 0
    with tempfile.TemporaryDirectory(prefix="osallisuus-i18n-") as tmp:
        copy = Path(tmp) / "repo"
        shutil.copytree(ROOT, copy, ignore=lambda _dir, names: [n for n in names if n in SKIP])
        places: list[tuple[Path, list[str]]] = [
            (copy / "osallisuus" / app, []) for app in sorted(os.listdir(copy / "osallisuus"))
        ]
        places = [(p, a) for p, a in places if (p / "locale").is_dir()]
        places.append((copy, ["-i", "osallisuus/*", "-i", "bench/*", "-i", "scripts/*"]))
        for where, extra in places:
            args = [python, str(copy / "manage.py"), "makemessages", "-v", "0", "--no-obsolete", *extra]
            for lang in LANGUAGES:
                args += ["-l", lang]
            subprocess.run(args, cwd=where, env=env, check=True)  # noqa: S603 (our own manage.py)
            for lang in LANGUAGES:
                po = where / "locale" / lang / "LC_MESSAGES" / "django.po"
                for line in missing(po):
                    problems += 1
                    print(f"{po.relative_to(copy)} [{lang}] {line}")
            for line in plain_finnish_missing(where):
                problems += 1
                print(f"{where.relative_to(copy)} [selkosuomi] {line}")
        for lang in LANGUAGES:
            catalogs = [where / "locale" / lang / "LC_MESSAGES" / "django.po" for where, _extra in places]
            for line in clashes(catalogs):
                problems += 1
                print(f"clash [{lang}] {line}")
    if problems:
        print(f"\n{problems} texts lack a Finnish or Swedish translation or clash between catalogs (see above).")
        return 1
    print("Every text has a Finnish and a Swedish translation, and none clashes between catalogs.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
