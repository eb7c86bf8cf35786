"""Keep the Finnish and Swedish catalogs up to date: list what is missing, and fill it in.

    .venv/bin/python scripts/translations.py missing osallisuus/core        # untranslated msgids, as JSON
    .venv/bin/python scripts/translations.py fill osallisuus/core file.json # write translations

``missing`` runs ``makemessages`` for the place (an app folder, or ``.`` for the project's
templates) and prints a JSON object ``{msgid: {"fi": "", "sv": ""}}`` of the entries without a
translation (plural entries get ``"fi_plural"``/``"sv_plural"`` too; a ``context`` key marks
``pgettext`` entries). ``fill`` takes such a file with the texts written in, writes them into
the .po files and compiles them. It never overwrites a translation that is already there.
``scripts/check_translations.py`` is the check CI runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("fi", "sv")


def _makemessages(place: Path) -> None:
    env = {**os.environ, "SECRET_KEY": os.environ.get("SECRET_KEY", "translations-only")}
    extra = ["-i", "osallisuus/*", "-i", "bench/*", "-i", "scripts/*", "-i", ".venv/*", "-i", "node_modules/*"]
    args = [str(ROOT / ".venv/bin/python"), str(ROOT / "manage.py"), "makemessages", "-v", "0", "--no-obsolete"]
    if place.resolve() == ROOT:
        args += extra
    for lang in LANGUAGES:
        args += ["-l", lang]
    subprocess.run(args, cwd=place, env=env, check=True)  # noqa: S603 - our own manage.py


def _key(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def missing(place: Path) -> dict[str, dict[str, str]]:
    _makemessages(place)
    out: dict[str, dict[str, str]] = {}
    for lang in LANGUAGES:
        po = polib.pofile(str(place / "locale" / lang / "LC_MESSAGES" / "django.po"))
        for entry in po:
            if entry.obsolete:
                continue
            empty = not entry.msgstr if not entry.msgid_plural else not all(entry.msgstr_plural.values())
            if empty or "fuzzy" in entry.flags:
                item = out.setdefault(_key(entry), {"fi": "", "sv": ""})
                if entry.msgid_plural:
                    item["plural"] = entry.msgid_plural
                    item.setdefault("fi_plural", "")
                    item.setdefault("sv_plural", "")
                if entry.msgctxt:
                    item["context"] = entry.msgctxt
    return out


def fill(place: Path, translations: dict[str, dict[str, str]]) -> int:
    _makemessages(place)
    written = 0
    for lang in LANGUAGES:
        path = place / "locale" / lang / "LC_MESSAGES" / "django.po"
        po = polib.pofile(str(path))
        for entry in po:
            item = translations.get(_key(entry))
            if not item or not item.get(lang):
                continue
            if entry.msgid_plural:
                if all(entry.msgstr_plural.values()) and "fuzzy" not in entry.flags:
                    continue
                entry.msgstr_plural = {0: item[lang], 1: item.get(f"{lang}_plural") or item[lang]}
            else:
                if entry.msgstr and "fuzzy" not in entry.flags:
                    continue
                entry.msgstr = item[lang]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            written += 1
        po.save(str(path))
        po.save_as_mofile(str(path.with_suffix(".mo")))
    return written


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in {"missing", "fill"}:
        print(__doc__)
        return 2
    place = (ROOT / argv[1]).resolve()
    if argv[0] == "missing":
        print(json.dumps(missing(place), ensure_ascii=False, indent=1))
        return 0
    data = json.loads(Path(argv[2]).read_text(encoding="utf-8"))
    print(f"{fill(place, data)} translations written")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
