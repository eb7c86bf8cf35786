"""The catalogue and the caseload are lists of the foundation (``core.paging``): search, filters,
order and page in the address, names in Finnish order, the rows of one page logged."""

from __future__ import annotations

from django.urls import reverse

from osallisuus.accounts import services as account_services
from osallisuus.activation import services
from osallisuus.activation.models import Plan
from osallisuus.core.models import AccessLogEntry

from .people import participant


def _activity(personas, title, **extra):
    data = {"title": title, "summary": "s", "baskets": ["doing"], "area": "Keskusta", "schedule": "ti", "capacity": 2}
    return services.activity_create(
        provider=personas.organisations["ngo2"], actor=personas.activity_provider, data={**data, **extra}
    )


def _titles(response):
    return [a.title for a in response.context["listing"].rows]


def test_catalogue__names_in_finnish_order(personas, login):
    for title in ("Ömmelkerho", "Äänipaja", "Åbo-retki", "Zumba", "Askartelu"):
        _activity(personas, title)
    response = login(personas.participant).get(reverse("activation:catalogue"))
    assert _titles(response) == ["Askartelu", "Zumba", "Åbo-retki", "Äänipaja", "Ömmelkerho"]


def test_catalogue__search_filters_and_order_in_the_address(personas, login):
    _activity(personas, "Äänipaja", area="Rantala", capacity=5)
    _activity(personas, "Puutyöt", area="Rantala", capacity=1, accessible=True)
    _activity(personas, "Kuoro", area="Keskusta")
    client = login(personas.participant)
    url = reverse("activation:catalogue")
    # search ignores case and Finnish letters alike
    assert _titles(client.get(url, {"q": "ÄÄNI"})) == ["Äänipaja"]
    assert _titles(client.get(url, {"area": "Rantala"})) == ["Puutyöt", "Äänipaja"]
    assert _titles(client.get(url, {"area": "Rantala", "accessible": "1"})) == ["Puutyöt"]
    assert _titles(client.get(url, {"area": "Rantala", "sort": "free"})) == ["Äänipaja", "Puutyöt"]
    # an unknown filter value or order is ignored, never an error
    assert client.get(url, {"area": "Nowhere", "sort": "nonsense"}).status_code == 200
    # the pager keeps the search and the filters
    for i in range(25):
        _activity(personas, f"Ryhmä {i:02d}", area="Rantala")
    page = client.get(url, {"area": "Rantala"})
    assert page.context["listing"].total == 27
    assert "area=Rantala&amp;page=2" in page.content.decode()


def test_catalogue__htmx_gets_only_the_results(personas, login):
    _activity(personas, "Kuoro")
    response = login(personas.participant).get(reverse("activation:catalogue"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="results"' in body
    assert "<form" not in body


def _clients(personas, names):
    county = personas.organisations["county"]
    plans = []
    for i, name in enumerate(names):
        person = participant(county, f"k{i}@example.test", name)
        account_services.relationship_start(
            worker=personas.own_worker, person=person, organisation=county, kind="own_worker"
        )
        plans.append(services.plan_ensure(participant=person))
    return plans


def test_caseload__meeting_requests_first_then_finnish_order__search_and_status_in_the_address(personas, login):
    plans = _clients(personas, ["Öhman Ulla", "Ahonen Anni", "Åström Åsa", "Ärling Eero"])
    person = plans[2].participant
    services.meeting_request(plan=plans[2], actor=person, with_whom="own_worker", topic="Hei")
    services.plan_update(plan=plans[1], actor=plans[1].participant, data={"status": Plan.Status.RESTING})
    client = login(personas.own_worker)
    url = reverse("activation:caseload")

    def names(response):
        return [row.plan.participant.full_name for row in response.context["rows"]]

    assert names(client.get(url)) == ["Åström Åsa", "Ahonen Anni", "Ärling Eero", "Öhman Ulla"]
    assert names(client.get(url, {"sort": "name"})) == ["Ahonen Anni", "Åström Åsa", "Ärling Eero", "Öhman Ulla"]
    assert names(client.get(url, {"q": "ärling"})) == ["Ärling Eero"]
    assert names(client.get(url, {"status": "resting"})) == ["Ahonen Anni"]
    rows = {row.plan.pk: row for row in client.get(url).context["rows"]}
    assert rows[plans[2].pk].meeting_requests == 1


def test_caseload__pages_and_logs_only_the_people_of_the_page(personas, login):
    _clients(personas, [f"Asiakas {i:02d}" for i in range(30)])
    client = login(personas.own_worker)
    before = AccessLogEntry.objects.filter(actor=personas.own_worker, purpose="caseload list").count()
    first = client.get(reverse("activation:caseload"), {"sort": "name"})
    assert len(first.context["rows"]) == 25
    assert first.context["listing"].total == 30
    logged = AccessLogEntry.objects.filter(actor=personas.own_worker, purpose="caseload list").count() - before
    assert logged == 25
    second = client.get(reverse("activation:caseload"), {"sort": "name", "page": 2})
    assert next(r.plan.participant.full_name for r in second.context["rows"]) == "Asiakas 25"


def test_api_signup__full__is_a_409_conflict_with_a_code_in_the_callers_language(personas, client):
    from osallisuus.accounts.api_auth import token_issue

    activity = _activity(personas, "Paja", capacity=1)
    services.signup_create(activity=activity, participant=personas.participant2)
    _token, raw = token_issue(user=personas.participant, name="t")
    answer = client.post(
        f"/api/v1/activation/activities/{activity.pk}/sign-up",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    assert answer.status_code == 409
    assert answer.json()["code"] == "full"
    assert answer.json()["detail"].startswith("Den här verksamheten är full")


def test_api_activities__limit_is_clamped(personas, client, login):
    for i in range(3):
        _activity(personas, f"A{i}")
    login(personas.participant)
    assert len(client.get("/api/v1/activation/activities?limit=0").json()) == 1
    assert len(client.get("/api/v1/activation/activities?limit=100000").json()) == 3
