"""The funding pages: the programme frame with envelopes in euros, the draft form that keeps what
was typed and names the wrong field, submission with its confirmation, another applicant's draft
as a 404, review visibility, the decision page under the envelope, and the combined table."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from osallisuus.funding import services
from osallisuus.funding.models import Application, Decision

from .factories import COSTS, FINANCING, OUTPUTS, PLAN, build_world, decided, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    return build_world(personas)


def _form_data(app: Application, **changes: str) -> dict[str, str]:
    data: dict[str, str] = {
        "outputs-count": str(len(OUTPUTS)),
        "costs-count": str(len(COSTS)),
        "action": "save",
    }
    for name, value in PLAN.items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, dt.date):
            data[name] = value.isoformat()
        else:
            data[name] = value
    for i, row in enumerate(OUTPUTS):
        data.update({f"outputs-{i}-{k}": v for k, v in row.items()})
    for i, row in enumerate(COSTS):
        data.update({f"costs-{i}-{k}": v for k, v in row.items()})
    data.update({f"financing-{k}": v for k, v in FINANCING.items()})
    data.update(changes)
    return data


def test_the_programme_page_shows_funders_and_envelopes_in_euros(world, client, login):
    login(world.tiina)
    page = client.get(reverse("funding:programme", args=[world.programme.pk])).content.decode()
    assert "Järvi-Suomen ELY-keskus" in page
    assert "300\xa0000,00\xa0€" in page
    assert "100\xa0000,00\xa0€" in page


def test_the_draft_form_keeps_what_was_typed_and_names_the_wrong_field(world, client, login):
    app = world.application
    login(world.tiina)
    url = reverse("funding:application_edit", args=[app.pk])
    response = client.post(url, _form_data(app, **{"costs-1-amount": "kuusituhatta", "title": "Uusi nimi"}))
    assert response.status_code == 400
    page = response.content.decode()
    assert "kuusituhatta" in page
    assert 'id="id_costs-1-amount_error"' in page
    app.refresh_from_db()
    assert app.title == "Pärskeen polku"


def test_a_draft_is_saved_with_the_finnish_comma_and_continued(world, client, login):
    app = world.application
    login(world.tiina)
    url = reverse("funding:application_edit", args=[app.pk])
    data = _form_data(app, **{"costs-2-amount": "1 999,50", "financing-own_money": "2 999,50"})
    assert client.post(url, data).status_code == 302
    page = client.get(url).content.decode()
    assert "1999,50" in page
    assert services.totals_of(app).costs == services.totals_of(app).financing


def test_submit_shows_the_confirmation_with_the_tracking_number(
    world, client, login, django_capture_on_commit_callbacks
):
    app = world.application
    login(world.tiina)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("funding:application_edit", args=[app.pk]), _form_data(app, action="submit"), follow=True
        )
    page = response.content.decode()
    assert app.tracking_number in page
    app.refresh_from_db()
    assert app.status == Application.Status.SUBMITTED
    assert len(mail.outbox) == 1


def test_an_unbalanced_plan_is_refused_at_submit_beside_the_financing_plan(world, client, login):
    app = world.application
    login(world.tiina)
    response = client.post(
        reverse("funding:application_edit", args=[app.pk]),
        _form_data(app, action="submit", **{"financing-city": "11 000"}),
    )
    assert response.status_code == 400
    assert 'id="id_financing_error"' in response.content.decode()
    app.refresh_from_db()
    assert app.status == Application.Status.DRAFT


def test_another_applicants_draft_is_404(world, client, login, personas):
    app = world.application
    login(personas.coordinator)
    assert client.get(reverse("funding:application", args=[app.pk])).status_code == 404
    assert client.get(reverse("funding:application_edit", args=[app.pk])).status_code == 404
    login(world.helena)
    assert client.get(reverse("funding:application", args=[app.pk])).status_code == 404


def test_a_reviewer_sees_others_reviews_only_after_writing_her_own(world, client, login):
    app = submitted(world, title="Arvioitava")
    criteria = list(app.call.criteria.all())
    services.review_write(
        actor=world.pekka, application=app, comment="Kaupungin näkökulmasta hyvä.", scores={c.pk: 4 for c in criteria}
    )
    login(world.helena)
    page = client.get(reverse("funding:application", args=[app.pk])).content.decode()
    assert "Kaupungin näkökulmasta hyvä." not in page
    data = {"comment": "ELY: toteutettavissa.", **{f"score_{c.pk}": "3" for c in criteria}}
    assert client.post(reverse("funding:review", args=[app.pk]), data).status_code == 302
    page = client.get(reverse("funding:application", args=[app.pk])).content.decode()
    assert "Kaupungin näkökulmasta hyvä." in page


def test_a_decision_over_the_envelope_is_refused_beside_the_amount(world, client, login):
    app = submitted(world, title="Iso")
    login(world.helena)
    url = reverse("funding:decide", args=[app.pk])
    data = {"outcome": "granted", "amount": "300 000,01", "number": "ELY/1", "decided_on": "2027-02-01"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "300 000,01" in response.content.decode()
    assert 'id="id_amount_error"' in response.content.decode()
    assert not Decision.objects.exists()
    assert client.post(url, {**data, "amount": "40 000"}).status_code == 302
    world.refresh()
    assert world.ely_envelope.decided == 40000


def test_the_applicant_sees_both_decisions_and_the_combined_table(world, client, login):
    app, _ely, _city = decided(world, title="Rahoitettu")
    login(world.tiina)
    page = client.get(reverse("funding:application", args=[app.pk])).content.decode()
    assert f"ELY/{app.pk}/2027" in page
    assert f"KAU/{app.pk}/2027" in page
    assert "Financing: applied and decided" in page or "Rahoitus: haettu ja päätetty" in page
    assert "40\xa0000,00\xa0€" in page


def test_the_summary_pdf_is_a_pdf_for_the_funders(world, client, login):
    app = submitted(world, title="PDF")
    services.recommendation_write(actor=world.helena, application=app, agrees=True, note="Suosittelemme.")
    login(world.helena)
    response = client.get(reverse("funding:summary_pdf", args=[app.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    login(world.tiina)
    assert client.get(reverse("funding:summary_pdf", args=[app.pk])).status_code == 404


def test_the_hearing_invite_is_icalendar(world, client, login):
    app = submitted(world, title="Kuultava")
    start = timezone.now() + dt.timedelta(days=3)
    hearing = services.hearing_schedule(
        actor=world.pekka,
        application=app,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        place="Kaupungintalo",
    )
    login(world.tiina)
    response = client.get(reverse("funding:hearing_ics", args=[hearing.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.content
    assert b"Kaupungintalo" in response.content


def test_co_applicants_are_chosen_on_the_draft_and_their_staff_see_it(world, client, login, personas):
    app = world.application
    login(world.tiina)
    village = personas.organisations["village"]
    data = _form_data(app)
    data["co_applicants"] = [str(village.pk)]
    assert client.post(reverse("funding:application_edit", args=[app.pk]), data).status_code == 302
    assert list(app.co_applicants.all()) == [village]
    page = client.get(reverse("funding:application", args=[app.pk])).content.decode()
    assert village.name in page


def test_a_wrong_attachment_is_refused_beside_the_file_field(world, client, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    app = world.application
    login(world.tiina)
    url = reverse("funding:attachment_add", args=[app.pk])
    exe = SimpleUploadedFile("liite.pdf", b"MZ\x90\x00", content_type="application/pdf")
    response = client.post(url, {"kind": "plan", "file": exe})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_file_error"' in page
    assert not app.attachments.exists()
    pdf = SimpleUploadedFile("liite.pdf", b"%PDF-1.4\n", content_type="application/pdf")
    assert client.post(url, {"kind": "plan", "file": pdf}).status_code == 302
    attachment = app.attachments.get()
    assert client.get(reverse("funding:attachment", args=[attachment.pk])).status_code == 200


def test_withdraw_and_resubmit_to_a_later_call_from_the_page(world, client, login):
    app = submitted(world, title="Peruttava")
    later = services.call_create(
        actor=world.pekka,
        programme=world.programme,
        name="Syksyn haku",
        opens_at=timezone.now() - dt.timedelta(days=1),
        closes_at=world.call.closes_at + dt.timedelta(days=60),
        year=2027,
        funders=[world.ely, world.city],
        criteria=[("Vaikuttavuus", 100)],
    )
    login(world.tiina)
    client.post(reverse("funding:application_withdraw", args=[app.pk]))
    app.refresh_from_db()
    assert app.status == Application.Status.WITHDRAWN
    response = client.post(reverse("funding:application_resubmit", args=[app.pk]), {"call": later.pk})
    copy = Application.objects.get(resubmission_of=app)
    assert response["Location"] == reverse("funding:application_edit", args=[copy.pk])


def test_the_deadline_list_shows_open_calls_with_the_applicants_drafts(world, client, login):
    login(world.tiina)
    page = client.get(reverse("funding:deadlines")).content.decode()
    assert world.call.name in page


def test_the_ngo_sees_the_advice_on_its_idea(world, client, login):
    idea = services.idea_present(
        actor=world.tiina,
        programme=world.programme,
        organisation=world.personas.organisations["ngo2"],
        title="Pajakahvila",
        summary="Kahvila",
    )
    login(world.helena)
    assert (
        client.post(reverse("funding:idea_advice", args=[idea.pk]), {"text": "Tarkenna kohderyhmä."}).status_code == 302
    )
    login(world.tiina)
    page = client.get(reverse("funding:idea", args=[idea.pk])).content.decode()
    assert "Tarkenna kohderyhmä." in page


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_officers_pages_take_the_same_queries_for_few_and_many_applications(world, client, login):
    for i in range(2):
        submitted(world, title=f"Hanke {i}")
    login(world.helena)
    urls = [reverse("funding:home"), reverse("funding:call", args=[world.call.pk]), reverse("funding:deadlines")]
    for url in urls:  # the first request fills the person's permission cache
        client.get(url)
    few = [_queries(client, url) for url in urls]
    for i in range(8):
        submitted(world, title=f"Lisähanke {i}")
    many = [_queries(client, url) for url in urls]
    assert few == many
