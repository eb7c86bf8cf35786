"""The pages and the API as people meet them, in Finnish: the closed group, bad input kept with a clear
message and nothing saved, the picture without the camera's data, voting with a printed code, the code
sheet, the results explained round by round."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from osallisuus.budgeting import services
from osallisuus.budgeting.models import Ballot, Process, Proposal, VotingCode

from .factories import build_world, publish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _photo_with_camera_data() -> SimpleUploadedFile:
    image = Image.new("RGB", (2400, 1200), (40, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "Puhelin Oy"  # the camera's make
    exif[0x0132] = "2026:05:04 18:30:00"  # when it was taken
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile("kuva.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_process_page__closed_to_people_outside_the_group(personas, client, login):
    world = build_world(personas)
    for outsider in ("own_worker", "civic_unit", "applicant", "analyst"):
        login(personas[outsider])
        assert client.get(reverse("budgeting:process", args=[world.process.pk])).status_code == 404
        assert client.get(reverse("budgeting:proposal", args=[world.proposals[0].pk])).status_code == 404
    login(world.aino)
    page = client.get(reverse("budgeting:process", args=[world.process.pk])).content.decode()
    assert "Pajan porukan yhteinen raha" in page
    assert "Äänestä" in page


def test_proposal_form__a_missing_answer_keeps_what_was_typed(personas, client, login):
    world = build_world(personas, phase=Process.Phase.PROPOSALS)
    login(world.aino)
    response = client.post(
        reverse("budgeting:proposal_new", args=[world.process.pk]),
        {"title": "Lautapelejä taukotilaan", "for_whom": "Kaikille pajalla kävijöille.", "why": ""},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Kirjoita, miksi se on tärkeää." in page
    assert 'value="Lautapelejä taukotilaan"' in page
    assert "Kaikille pajalla kävijöille." in page
    assert not Proposal.objects.filter(title="Lautapelejä taukotilaan").exists()


def test_proposal_picture__re_saved_without_the_camera_data_and_shown_to_the_group_only(personas, client, login):
    world = build_world(personas, phase=Process.Phase.PROPOSALS)
    login(world.aino)
    response = client.post(
        reverse("budgeting:proposal_new", args=[world.process.pk]),
        {
            "title": "Maalaus pajan seinään",
            "for_whom": "Kaikille.",
            "why": "Seinä on harmaa.",
            "image": _photo_with_camera_data(),
            "image_alt": "Luonnos seinämaalauksesta",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    proposal = Proposal.objects.get(title="Maalaus pajan seinään")
    with Image.open(proposal.image.path) as saved:
        assert saved.format == "JPEG"
        assert max(saved.size) == 1600
        assert not saved.getexif()
    image_url = reverse("budgeting:proposal_image", args=[proposal.pk])
    assert client.get(image_url).status_code == 200
    page = client.get(reverse("budgeting:proposal", args=[proposal.pk])).content.decode()
    assert 'alt="Luonnos seinämaalauksesta"' in page
    login(personas.own_worker)
    assert client.get(image_url).status_code == 404


def test_review__a_negative_cost_is_refused_beside_the_field_with_the_input_kept(personas, client, login):
    world = build_world(personas, phase=Process.Phase.PROPOSALS)
    proposal = world.proposals[0]
    login(world.riikka)
    response = client.post(
        reverse("budgeting:proposal_review", args=[proposal.pk]), {"feasible": "yes", "cost": "-650", "reason": ""}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Hinnan on oltava yli 0 €." in page
    assert 'value="-650"' in page
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    assert proposal.cost is None


def test_review__feasible_with_a_finnish_decimal_comma(personas, client, login):
    world = build_world(personas, phase=Process.Phase.PROPOSALS)
    proposal = world.proposals[0]
    login(world.riikka)
    response = client.post(
        reverse("budgeting:proposal_review", args=[proposal.pk]),
        {"feasible": "yes", "cost": "1 250,50", "provider": personas.organisations["ngo2"].pk, "third_sector": "on"},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.cost, proposal.third_sector) == ("feasible", Decimal("1250.50"), True)


def test_ballot_page__knapsack_over_the_budget_keeps_the_choices(personas, client, login):
    world = build_world(personas, ballot_style=Process.BallotStyle.KNAPSACK)
    login(world.aino)
    ids = [str(p.pk) for p in world.proposals]
    response = client.post(reverse("budgeting:ballot", args=[world.process.pk]), {"choices": ids})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Valintasi maksavat yhteensä 1\u00a0950,00\u00a0€, mutta budjetti on 1\u00a0500,00\u00a0€." in page
    assert page.count(" checked") == 3
    assert not Ballot.objects.exists()


def test_ballot_page__outside_the_voting_phase(personas, client, login):
    world = build_world(personas, phase=Process.Phase.COSTING)
    login(world.aino)
    url = reverse("budgeting:ballot", args=[world.process.pk])
    assert "Äänestys ei ole nyt auki." in client.get(url).content.decode()
    response = client.post(url, {"choices": [world.proposals[0].pk]})
    assert response.status_code == 400
    assert "Äänestys ei ole vielä auki." in response.content.decode()
    assert not Ballot.objects.exists()


def test_edit_page__changing_the_rule_after_voting_started_is_refused(personas, client, login):
    world = build_world(personas)
    login(world.riikka)
    url = reverse("budgeting:process_edit", args=[world.process.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "activity": world.activity.pk,
            "winner_rule": "equal_shares",
            "budget": "1500",
            **{k: v.isoformat() for k, v in data.items() if hasattr(v, "isoformat")},
        }
    )
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Sääntöjä ei voi muuttaa äänestyksen alettua." in response.content.decode()
    assert world.refresh().winner_rule == "greedy"


def test_voting_code__on_the_printed_address_once(personas, client):
    world = build_world(personas)
    other = build_world(personas, name="Toinen äänestys")
    code = services.codes_issue(actor=world.riikka, process=world.process, count=1)[0]
    foreign = services.codes_issue(actor=world.riikka, process=other.process, count=1)[0]
    start = reverse("budgeting:code_start", args=[world.process.code_key])
    assert "Äänestä koodillasi" in client.get(start).content.decode()
    wrong = client.post(start, {"code": "AAAA-BBBB-CCCC"})
    assert wrong.status_code == 400
    assert "Koodi ei kelpaa." in wrong.content.decode()
    elsewhere = client.post(start, {"code": foreign})
    assert elsewhere.status_code == 400
    assert "Koodi on toiseen äänestykseen." in elsewhere.content.decode()
    assert client.post(start, {"code": code.lower().replace("-", " ")}).status_code == 302
    ballot = reverse("budgeting:code_ballot", args=[world.process.code_key])
    assert client.post(ballot, {"choices": [world.proposals[1].pk]})["Location"].endswith("/thanks/")
    assert Ballot.objects.filter(process=world.process).count() == 1
    again = client.post(start, {"code": code})
    assert again.status_code == 400
    assert "Koodi on jo käytetty." in again.content.decode()
    assert client.get(ballot).status_code == 302  # the code left the session with the vote


def test_code_sheet__shows_the_new_codes_once_in_finnish(personas, client, login):
    world = build_world(personas)
    login(world.riikka)
    response = client.post(reverse("budgeting:codes", args=[world.process.pk]), {"count": "3", "language": "fi"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    hashes = set(VotingCode.objects.filter(process=world.process).values_list("code_hash", flat=True))
    shown = list(response.context["codes"])
    assert len(shown) == 3
    assert {services.code_hash(c) for c in shown} == hashes
    for code in shown:
        assert code in page
    assert page.count("Äänestyskoodi</p>") == 3
    assert f"/budgeting/code/{world.process.code_key}/" in page
    assert "Kukaan ei näe, mitä äänestit." in page
    again = client.get(reverse("budgeting:codes", args=[world.process.pk])).content.decode()
    assert not any(code in again for code in shown)


def test_results_page__explains_round_by_round_in_plain_finnish(personas, client, login):
    world = build_world(
        personas,
        budget="1000",
        proposals=[
            ("Höylä", "Pajalle.", "Rikki.", "600"),
            ("Retki", "Porukalle.", "Yhdessä.", "650"),
            ("Sohva", "Taukotilaan.", "Mukava.", "300"),
        ],
    )
    a, b, c = (p.pk for p in world.proposals)
    services.ballot_cast(actor=world.aino, process=world.process, choices=[a, b])
    services.ballot_cast(actor=personas.participant2, process=world.process, choices=[a, b, c])
    code = services.codes_issue(actor=world.riikka, process=world.process, count=1)[0]
    services.ballot_cast_with_code(process=world.process, code=code, choices=[a, b])
    publish(world)
    login(world.aino)
    page = client.get(reverse("budgeting:results", args=[world.process.pk])).content.decode()
    assert "3 ihmistä äänesti." in page
    assert (
        "”Retki”: ääniä 3, mutta se ei mahtunut mukaan: rahaa oli jäljellä 400,00\u00a0€ ja se maksoi "
        "650,00\u00a0€." in page
    )
    assert "”Höylä”: ääniä 3. Se maksoi 600,00\u00a0€ ja rahaa oli jäljellä 1\u00a0000,00\u00a0€" in page
    assert '<caption id="result-caption">Kunkin ehdotuksen äänet, hinta ja tulos</caption>' in page
    assert page.count('class="bar--won"') == 2


# -- the API ---------------------------------------------------------------------------------------
def test_api__a_knapsack_ballot_over_the_budget_is_refused_with_the_field(personas, client, login):
    world = build_world(personas, ballot_style=Process.BallotStyle.KNAPSACK)
    login(world.aino)
    url = f"/api/v1/budgeting/processes/{world.process.pk}/ballot"
    response = client.put(url, {"choices": [p.pk for p in world.proposals]}, content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert (body["field"], body["code"]) == ("choices", "over_budget")
    assert "budjetti on 1\u00a0500,00\u00a0€" in body["detail"]
    ok = client.put(url, {"choices": [world.proposals[0].pk]}, content_type="application/json")
    assert ok.json() == {"choices": [world.proposals[0].pk], "voted": True}


def test_api__results_only_after_publishing_with_the_explanation(personas, client, login):
    world = build_world(personas)
    services.ballot_cast(actor=world.aino, process=world.process, choices=[world.proposals[0].pk])
    login(world.aino)
    url = f"/api/v1/budgeting/processes/{world.process.pk}/results"
    early = client.get(url)
    assert early.status_code == 403
    assert early.json()["code"] == "not_published"
    publish(world)
    body = client.get(url).json()
    assert body["winners"] == [world.proposals[0].pk]
    assert body["steps"][0] == {
        "stage": "greedy",
        "outcome": "funded",
        "proposal_id": world.proposals[0].pk,
        "round": 1,
        "votes": 1,
        "cost": "650.00",
        "left_before": "1500.00",
        "left_after": "850.00",
        "share": None,
        "payers": None,
        "supporters_money": None,
    }


def test_api__a_proposal_outside_the_proposal_phase_is_refused(personas, client, login):
    world = build_world(personas)
    login(world.aino)
    response = client.post(
        f"/api/v1/budgeting/processes/{world.process.pk}/proposals",
        {"title": "Uusi", "for_whom": "Kaikille", "why": "Koska"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "Ehdotuksia voi tehdä vain ehdotusvaiheen aikana."
    assert world.process.proposals.count() == 3
