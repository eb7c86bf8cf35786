"""The front page: a welcome for visitors, and after login one section per role the user holds."""

from __future__ import annotations

import pytest

from osallisuus.core import navigation
from osallisuus.core.tests.shell_html import find, one, text

pytestmark = pytest.mark.django_db

ROLE_PERSONAS = [
    "participant",
    "own_worker",
    "coordinator",
    "expert",
    "orderer",
    "partner_worker",
    "network_coordinator",
    "network_member",
    "funder_officer",
    "civic_unit",
    "applicant",
    "steering_group",
    "activity_provider",
    "analyst",
    "administrator",
]


def _sections(html):
    return [s.get("data-role") for s in find(html, "section") if s.get("data-role")]


def test_home__visitor__sees_the_welcome_page_with_a_login_link(client):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert [a for a in find(html, "a") if a.get("href") == "/account/login/" and a.inside("main")]
    assert _sections(html) == []


def _roles_with_pages(user):
    """The roles a person holds whose modules have front-page links (the others get no card)."""
    roles = set(user.memberships.values_list("roles__code", flat=True))
    return {e.role for e in navigation._HOME_ENTRIES if not e.permission or user.permissions.has(e.permission)} & roles


@pytest.mark.parametrize("persona", ROLE_PERSONAS)
def test_home__each_persona__sees_one_section_for_each_role_they_hold(client, personas, login, persona):
    user = personas[persona]
    login(user)
    roles = _roles_with_pages(user)

    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert set(_sections(html)) == roles
    for code in roles:
        section = one(html, "section", data_role=code)
        assert text(str(navigation.ROLE_INTRODUCTIONS[code])) in text(section.text)


def test_home__person_with_two_roles__sees_both_with_their_organisations(client, personas, login, monkeypatch):
    monkeypatch.setattr(navigation, "_HOME_ENTRIES", list(navigation._HOME_ENTRIES))
    navigation.register_home(navigation.HomeEntry("network_member", "accounts:profile", "Verkostot"))
    eero = personas.expert  # expert at the NGO, network member in the city
    login(eero)

    html = client.get("/").content.decode()

    assert _sections(html) == ["expert", "network_member"]
    page = text(html)
    assert personas.organisations["ngo"].name in page
    assert personas.organisations["city"].name in page


def test_home__role_whose_module_has_no_pages__gets_no_card_but_a_calm_sentence(client, personas, login, monkeypatch):
    from django.utils.translation import gettext

    monkeypatch.setattr(
        navigation, "_HOME_ENTRIES", [e for e in navigation._HOME_ENTRIES if e.role != "network_coordinator"]
    )
    login(personas.network_coordinator)

    html = client.get("/").content.decode()

    assert _sections(html) == []
    assert text(gettext("The pages for your role are not in use yet. You will find them here when they are.")) in text(
        html
    )
    assert "work-queues-title" in html  # what waits for her is still asked


def test_home__coordinator__finds_the_people_of_the_organisation(client, personas, login):
    login(personas.coordinator)

    html = client.get("/").content.decode()

    section = one(html, "section", data_role="coordinator")
    links = [a.get("href") for a in find(html, "a") if section in a.parents]
    assert "/account/people/" in links


def test_home__participant__has_no_link_to_other_peoples_data(client, personas, login):
    login(personas.participant)

    html = client.get("/").content.decode()

    assert not [a for a in find(html, "a") if a.get("href") == "/account/people/"]
    assert not [a for a in find(html, "a") if a.get("href") == "/manage/feedback/"]


def test_home__administrator__finds_the_feedback(client, personas, login):
    login(personas.administrator)

    html = client.get("/").content.decode()

    section = one(html, "section", data_role="administrator")
    assert "/manage/feedback/" in [a.get("href") for a in find(html, "a") if section in a.parents]


def test_home__person_without_roles__is_told_who_can_add_them(client, personas, login):
    from django.utils.translation import gettext

    from osallisuus.accounts.models import User

    newcomer = User.objects.create_user("uusi@example.fi", "x" * 16, full_name="Uusi Käyttäjä")
    login(newcomer)

    html = client.get("/").content.decode()

    assert _sections(html) == []
    main = one(html, "main")
    assert text(gettext("You do not have any roles yet. The coordinator of your organisation can add them.")) in text(
        main.text
    )


def test_home_registry__module_entry__appears_only_in_its_roles_section(client, personas, login, monkeypatch):
    monkeypatch.setattr(navigation, "_HOME_ENTRIES", list(navigation._HOME_ENTRIES))
    navigation.register_home(
        navigation.HomeEntry("expert", "accounts:api_tokens", "Omat tehtävät", "Tehtävätarjoukset sinulle.")
    )
    navigation.register_home(navigation.HomeEntry("network_member", "accounts:profile", "Verkostot"))
    login(personas.expert)

    html = client.get("/").content.decode()

    expert = one(html, "section", data_role="expert")
    member = one(html, "section", data_role="network_member")
    assert "Tehtävätarjoukset sinulle." in expert.text
    assert "Omat tehtävät" not in member.text


def test_home_registry__entry_with_a_permission__is_hidden_without_it(client, personas, login, monkeypatch):
    monkeypatch.setattr(navigation, "_HOME_ENTRIES", list(navigation._HOME_ENTRIES))
    navigation.register_home(
        navigation.HomeEntry("expert", "accounts:api_tokens", "Salainen linkki", permission="feedback.handle")
    )
    login(personas.expert)

    html = client.get("/").content.decode()

    assert "Salainen linkki" not in html


# -- the main menu -----------------------------------------------------------------------
def _menu(html):
    nav = [n for n in find(html, "nav") if n.inside("header")]
    assert len(nav) == 1
    return [(a.get("href"), a.get("aria-current")) for a in find(html, "a") if nav[0] in a.parents]


def test_menu__administrator__has_the_feedback_entry(client, personas, login):
    login(personas.administrator)

    menu = _menu(client.get("/manage/feedback/").content.decode())

    assert ("/manage/feedback/", "page") in menu
    assert ("/", "") in menu


@pytest.mark.parametrize("persona", ["participant", "coordinator", "analyst"])
def test_menu__others__have_no_feedback_entry(client, personas, login, persona):
    login(personas[persona])

    menu = _menu(client.get("/").content.decode())

    assert "/manage/feedback/" not in [href for href, _current in menu]
    assert ("/", "page") in menu


def test_menu__administrator__holds_only_what_her_roles_let_her_open(client, personas, login):
    admin = personas.administrator
    assert admin.is_superuser
    login(admin)

    menu = [href for href, _current in _menu(client.get("/").content.decode())]

    assert "/plan/" not in menu  # a plan is for participants
    assert "/plan/caseload/" not in menu
    assert len(menu) == len(set(menu))
    for href in menu:
        assert client.get(href).status_code == 200, href


def test_menu__one_item_is_current__the_longest_address_the_page_is_under(client, personas, login):
    login(personas.participant)

    menu = _menu(client.get("/plan/activities/").content.decode())

    assert [href for href, current in menu if current == "page"] == ["/plan/activities/"]
    assert ("/plan/", "") in menu


def test_menu__visitor__has_no_menu(client):
    html = client.get("/").content.decode()

    assert not [n for n in find(html, "nav") if n.inside("header")]
