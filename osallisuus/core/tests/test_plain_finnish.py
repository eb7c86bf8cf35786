"""Plain Finnish (selkosuomi, ``fi-x-selko``) as Django serves it: every plain text written in
an app's ``fi_X-selko`` catalog is the text a page shows, and what has no plain version is
standard Finnish.

Django merges the catalogs of all apps into one, and gettext finds a place's standard Finnish
catalog for ``fi_X-selko`` too. A place without a ``fi_X-selko`` catalog would therefore merge
its standard Finnish over the plain texts of the apps after it ("Saavutettavuusseloste" where
"Saavutettavuus" was written); these tests catch that."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

PLAIN = settings.PLAIN_FINNISH
CATALOGS = sorted(
    [
        *Path(settings.BASE_DIR, "osallisuus").glob("*/locale/fi_X-selko/LC_MESSAGES/django.po"),
        Path(settings.BASE_DIR, "locale", "fi_X-selko", "LC_MESSAGES", "django.po"),
    ]
)


def _shown(entry: polib.POEntry) -> tuple[str, str]:
    """(what a page shows, what was written) for one entry, in plain Finnish."""
    if entry.msgid_plural:
        shown = (
            translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 2)
            if entry.msgctxt
            else translation.ngettext(entry.msgid, entry.msgid_plural, 2)
        )
        return shown, entry.msgstr_plural[1]
    shown = translation.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else translation.gettext(entry.msgid)
    return shown, entry.msgstr


def test_plain_finnish__every_written_plain_text_is_what_the_page_shows():
    assert len(CATALOGS) >= 4
    lost = []
    with translation.override(PLAIN):
        for path in CATALOGS:
            for entry in polib.pofile(str(path)).translated_entries():
                shown, written = _shown(entry)
                if shown != written:
                    lost.append(f"{path.relative_to(settings.BASE_DIR)}: {entry.msgid[:60]!r} shows {shown[:60]!r}")
    assert lost == []


def test_plain_finnish__a_text_without_a_plain_version_is_standard_finnish():
    text = "Log out"  # the menu's, which has no plain version (a variable: no test-only catalog entry)
    with translation.override("fi"):
        standard = translation.gettext(text)
    with translation.override(PLAIN):
        assert translation.gettext(text) == standard != text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "status", "plain"),
    [
        ("/accessibility/", 200, "Osallistujien omat sivut ovat myös selkosuomeksi."),
        ("/measurement/a/not-a-real-token/", 410, "Linkki ei toimi. Tarkista, että kopioit koko osoitteen."),
    ],
)
def test_plain_finnish__a_visitor_who_chose_it_reads_the_page_in_plain_finnish(client, url, status, plain):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = PLAIN
    response = client.get(url)

    assert response.status_code == status
    page = response.content.decode()
    assert 'lang="fi-x-selko"' in page
    assert plain in page
