"""An administrator turns password login off for the staff of the county: Ville (own worker) is
told to use the county's login, Aino (a participant there, not staff) keeps her password, and
the administrator herself (a superuser) keeps hers so the service can be reached if the
provider is down. Turning it on again lets Ville in."""

from __future__ import annotations

import pytest

from osallisuus.core.demo import DEMO_PASSWORD
from osallisuus.core.models import ChangeEvent
from osallisuus.identity import services
from osallisuus.identity.models import LoginRule

pytestmark = pytest.mark.django_db


def password_login(client, user):
    return client.post("/account/login/", {"username": user.email, "password": DEMO_PASSWORD})


@pytest.fixture
def county_staff_without_password(county, personas):
    rule = LoginRule(organisation=personas.organisations["county"], staff_password_login=False)
    return services.login_rule_save(rule=rule, actor=personas.administrator)


def test_password_off__staff_are_told_to_use_the_county_login(client, personas, county_staff_without_password):
    response = password_login(client, personas.own_worker)

    assert response.status_code == 400
    body = response.content.decode()
    assert "Hyvinvointialueen tunnus" in body  # the button to use instead is named
    assert personas.own_worker.email in body  # what was typed is kept
    assert "_auth_user_id" not in client.session
    assert ChangeEvent.objects.filter(verb="identity.login_rule.changed").exists()


def test_password_off__people_without_a_staff_role_and_superusers_keep_their_password(
    client, personas, county_staff_without_password
):
    assert password_login(client, personas.participant).status_code == 302
    client.logout()
    assert password_login(client, personas.administrator).status_code == 302


def test_password_off__other_organisations_are_not_affected(client, personas, county_staff_without_password):
    assert password_login(client, personas.coordinator).status_code == 302  # Kaisa, NGO staff


def test_password_on_again__staff_log_in_with_the_password(client, personas, county_staff_without_password):
    rule = county_staff_without_password
    rule.staff_password_login = True
    services.login_rule_save(rule=rule, actor=personas.administrator)
    assert password_login(client, personas.own_worker).status_code == 302


def test_login_rule__only_an_administrator_changes_it(personas):
    from osallisuus.core.errors import Forbidden

    rule = LoginRule(organisation=personas.organisations["county"], staff_password_login=False)
    with pytest.raises(Forbidden):
        services.login_rule_save(rule=rule, actor=personas.coordinator)
    assert not LoginRule.objects.exists()


def test_login_rule__in_the_admin_site(personas, login):
    admin = login(personas.administrator)
    response = admin.post(
        "/admin/identity/loginrule/add/", {"organisation": personas.organisations["county"].pk}
    )  # the box left unticked: password login off
    assert response.status_code == 302
    assert LoginRule.objects.get().staff_password_login is False
