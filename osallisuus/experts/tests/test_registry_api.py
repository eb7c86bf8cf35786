"""An agreement is cancelled or moved through the API with the same gates and refusals as the
pages; the registry in the admin site; the password link is Django's one-time token."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone

from osallisuus.accounts import services as accounts_services
from osallisuus.core.models import AccessLogEntry, ChangeEvent
from osallisuus.experts import services
from osallisuus.experts.models import Agreement

from .factories import SECRET_DIAGNOSIS, SECRET_STORY, build_world
from .test_registry import PAUSE_REASON, fi_plain

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    return build_world(personas)


# -- the API: cancel and reschedule ---------------------------------------------------------------------


def _agreed(world: Any, **request_fields: Any) -> Agreement:
    p = world.personas
    offer = services.offer_make(actor=p.coordinator, request=world.request(**request_fields), experts=[world.eero])[0]
    return services.offer_accept(actor=p.expert, offer=offer)


def _post(client: Any, url: str, data: Any) -> Any:
    return client.post(url, data, content_type="application/json")


def test_api_cancel__late_by_the_coordinator__keeps_the_fee_due(world, client, login):
    agreement = _agreed(world, starts_in=dt.timedelta(hours=10))
    assert agreement.fee > 0
    login(world.personas.coordinator)
    response = _post(client, f"/api/v1/experts/agreements/{agreement.pk}/cancel", {"reason": "Sairastuminen"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "cancelled"
    assert body["fee_due"] is True
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.CANCELLED
    assert agreement.fee_due
    assert agreement.cancel_reason == "Sairastuminen"
    assert ChangeEvent.objects.filter(verb="experts.agreement.cancelled", actor=world.personas.coordinator).exists()


def test_api_cancel__in_good_time_by_the_orderer__no_fee_and_the_request_is_called_off(world, client, login):
    agreement = _agreed(world)
    login(world.personas.orderer)
    response = _post(client, f"/api/v1/experts/agreements/{agreement.pk}/cancel", {})
    assert response.status_code == 200
    assert response.json()["fee_due"] is False
    agreement.request.refresh_from_db()
    assert agreement.request.status == "cancelled"


def test_api_cancel__late_by_the_expert__no_fee(world, client, login):
    agreement = _agreed(world, starts_in=dt.timedelta(hours=5))
    login(world.personas.expert)
    response = _post(client, f"/api/v1/experts/agreements/{agreement.pk}/cancel", {"reason": ""})
    assert response.status_code == 200
    assert response.json()["fee_due"] is False


def test_api_cancel__refusals__are_4xx_with_a_message_and_change_nothing(world, client, login, other_coordinator):
    p = world.personas
    agreement = _agreed(world)
    url = f"/api/v1/experts/agreements/{agreement.pk}/cancel"
    # The lähityöntekijä sees the agreement but cannot cancel it: the page's refusal, as 403
    # (the person may not act; issue 10)
    login(p.partner_worker)
    refused = _post(client, url, {})
    assert refused.status_code == 403
    assert refused.json()["detail"] == fi_plain("You cannot cancel this agreement.")
    # Someone who may not see it, or another organisation's coordinator: the 404 of a missing one
    for outsider in (p.participant, other_coordinator):
        login(outsider)
        assert _post(client, url, {}).status_code == 404
        assert _post(client, "/api/v1/experts/agreements/999999/cancel", {}).json() == _post(client, url, {}).json()
    # A reason longer than the page allows
    login(p.orderer)
    assert _post(client, url, {"reason": "x" * 301}).status_code == 422
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.ACTIVE
    # Cancelling twice: the second answer is a calm refusal
    assert _post(client, url, {}).status_code == 200
    again = _post(client, url, {})
    assert again.status_code == 400
    assert again.json()["detail"] == fi_plain("Only an agreed task can be cancelled.")
    # Not JSON at all: a 4xx, never a server error
    broken = client.post(url, "{not json", content_type="application/json")
    assert 400 <= broken.status_code < 500


def test_api_reschedule__by_the_coordinator__moves_the_task_with_the_same_length(world, client, login):
    agreement = _agreed(world)
    length = agreement.ends_at - agreement.starts_at
    login(world.personas.coordinator)
    new_day = timezone.localdate() + dt.timedelta(days=12)
    # A time without an offset is Finnish time
    response = _post(
        client, f"/api/v1/experts/agreements/{agreement.pk}/reschedule", {"starts_at": f"{new_day}T13:15:00"}
    )
    assert response.status_code == 200, response.content
    agreement.refresh_from_db()
    local = timezone.localtime(agreement.starts_at)
    assert (local.date(), local.hour, local.minute) == (new_day, 13, 15)
    assert agreement.ends_at - agreement.starts_at == length
    agreement.request.refresh_from_db()
    assert agreement.request.starts_at == agreement.starts_at
    assert ChangeEvent.objects.filter(verb="experts.agreement.rescheduled").exists()


def test_api_reschedule__refusals__are_4xx_with_a_message_and_change_nothing(world, client, login, other_coordinator):
    p = world.personas
    agreement = _agreed(world)
    other = _agreed(world, title="Toinen tehtävä", starts_in=dt.timedelta(days=14))
    url = f"/api/v1/experts/agreements/{agreement.pk}/reschedule"
    before = Agreement.objects.values("starts_at", "ends_at", "status").get(pk=agreement.pk)

    def at(moment: dt.datetime) -> dict[str, str]:
        return {"starts_at": moment.isoformat()}

    # The orderer and the expert see the agreement but do not move it: 403 (they may not act)
    for persona in ("orderer", "expert"):
        login(p[persona])
        refused = _post(client, url, at(timezone.now() + dt.timedelta(days=9)))
        assert refused.status_code == 403
        assert refused.json()["detail"] == fi_plain("The coordinator moves tasks after agreeing with both sides.")
    # Another organisation's coordinator: 404
    login(other_coordinator)
    assert _post(client, url, at(timezone.now() + dt.timedelta(days=9))).status_code == 404
    login(p.coordinator)
    cases = [
        (at(timezone.now() - dt.timedelta(hours=1)), 400, "The task must start in the future."),
        (at(other.starts_at), 400, None),
        ({"starts_at": "9999-12-31T23:59:00"}, 400, "A task can be moved at most two years ahead."),
        ({"starts_at": "huomenna"}, 422, None),
        ({}, 422, None),
    ]
    for data, status, message in cases:
        response = _post(client, url, data)
        assert response.status_code == status, (data, response.content)
        assert response.json()["detail"]
        if message:
            assert response.json()["detail"] == fi_plain(message)
    assert Agreement.objects.values("starts_at", "ends_at", "status").get(pk=agreement.pk) == before
    # A cancelled task cannot be moved
    services.agreement_cancel(actor=p.coordinator, agreement=agreement)
    gone = _post(client, url, at(timezone.now() + dt.timedelta(days=9)))
    assert gone.status_code == 400
    assert gone.json()["detail"] == fi_plain("Only an agreed task can be moved.")


def test_api_schema__lists_cancel_and_reschedule(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for action in ("cancel", "reschedule"):
        operation = paths[f"/api/v1/experts/agreements/{{agreement_id}}/{action}"]["post"]
        assert {"200", "400", "403", "404", "422"} <= set(operation["responses"])


# -- the admin site -------------------------------------------------------------------------------------


def test_admin__expert_is_listed_without_the_sensitive_fields_and_the_read_is_logged(world, client, login):
    p = world.personas
    world.eero.pause_reason = PAUSE_REASON
    world.eero.save()
    login(p.administrator)
    assert client.get(reverse("admin:experts_expert_changelist")).status_code == 200
    last = AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    page = client.get(reverse("admin:experts_expert_change", args=[world.eero.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert SECRET_DIAGNOSIS not in html
    assert SECRET_STORY not in html
    assert PAUSE_REASON not in html
    assert AccessLogEntry.objects.filter(pk__gt=last, subject=p.expert, actor=p.administrator).count() == 1
    # Adding and deleting go through the coordinator's pages (history stays)
    assert client.get(reverse("admin:experts_expert_add")).status_code == 403
    assert client.get(reverse("admin:experts_expert_delete", args=[world.eero.pk])).status_code == 403
    # The status cannot be changed here (it withdraws offers and tells the expert on the page)
    form = page.context["adminform"].form
    assert "status" not in form.fields
    assert "diagnoses" not in form.fields
    assert "story" not in form.fields


def test_password_set_link__is_a_one_time_token_of_django(world):
    """The link is Django's password-reset token: valid for this person now, not after use."""
    user = accounts_services.user_create(email="linkki@example.fi", full_name="Linkki")
    path = accounts_services.password_set_path(user=user)
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert default_token_generator.check_token(user, token)
    user.set_password("Uusi-salasana-2027")
    user.save()
    assert not default_token_generator.check_token(user, token)
