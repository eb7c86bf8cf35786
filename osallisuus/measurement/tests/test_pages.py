"""Pages and endpoints: group-only instruments, links, reports with suppression, retention, imports."""

from __future__ import annotations

import datetime as dt
import io
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import timezone

from osallisuus.accounts import services as account_services
from osallisuus.accounts.models import User
from osallisuus.core.models import AccessLogEntry
from osallisuus.measurement import reports, services
from osallisuus.measurement.models import Answer, Invitation, Response

from .factories import answer_all, make_round


def _round1(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def people(personas, count: int, *, municipality: str = "Järvilahti") -> list[User]:
    county = personas.organisations["county"]
    made = []
    for i in range(count):
        user = User.objects.create_user(
            f"p{municipality}{i}@example.invalid",
            "x",
            full_name=f"Person {municipality} {i}",
            municipality=municipality,
        )
        account_services.membership_grant(user=user, organisation=county, roles=("participant",))
        made.append(user)
    return made


def test_group_only_score__is_never_shown_to_the_worker_by_pages_api_or_exports(personas, login):
    # Given Aino's answer to the group-only demo instrument, wrongly marked as shared with Ville in the database
    county = personas.organisations["county"]
    aino, ville = personas.participant, personas.own_worker
    round_ = make_round(organisation=county, code="demo-belonging")
    response = answer_all(round=round_, person=aino, value=5)
    Response.objects.filter(pk=response.pk).update(shared_with=ville)
    assert response.score is not None
    client = login(ville)
    # When Ville looks through every door
    listing = client.get("/measurement/shared/")
    detail = client.get(f"/measurement/shared/{response.pk}/")
    api = client.get(f"/api/v1/measurement/shared/{response.pk}")
    rounds_page = client.get(f"/measurement/rounds/{round_.pk}/")
    # Then nothing shows her score or her answers
    assert listing.status_code == 200
    assert aino.full_name not in listing.content.decode()
    assert detail.status_code == 404
    assert api.status_code == 404
    assert str(response.score) not in rounds_page.content.decode()
    # and the analyst's report and export of a group of one hide everything
    analyst = login(personas.analyst)
    report = analyst.get(f"/measurement/reports/rounds/{round_.pk}/")
    export = analyst.get(f"/measurement/reports/rounds/{round_.pk}/export/csv/")
    api_report = analyst.get(f"/api/v1/measurement/rounds/{round_.pk}/report")
    for body in (report.content.decode(), export.content.decode("utf-8-sig"), api_report.content.decode()):
        assert "100.0" not in body
        assert "100,0" not in body
    assert api_report.json()["shown"] is False
    assert api_report.json()["n"] is None


def test_respondent__sees_own_answers_and_a_thank_you_but_never_a_score(personas, login):
    county = personas.organisations["county"]
    round_ = make_round(organisation=county, code="demo-belonging")
    response = answer_all(round=round_, person=personas.participant, value=5)
    page = login(personas.participant).get(f"/measurement/r/{response.pk}/answers/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "100" not in body
    assert "high" not in body.lower().split("demo")[0]
    api = login(personas.participant).get("/api/v1/measurement/my-responses").json()
    assert "score" not in api[0]
    assert "band" not in api[0]


def test_shared_answers__reading_them_writes_an_access_log_entry(personas, login):
    aino, ville = personas.participant, personas.own_worker
    response = services.response_start(instrument_code="plan-checkin", respondent=aino, context_module="activation")
    services.response_save(response=response, values={"goals": 3, "support": 3, "activities": 3, "stuck": 3})
    services.response_submit(response=response)
    services.response_share(response=response, respondent=aino, worker=ville)
    before = AccessLogEntry.objects.count()
    page = login(ville).get(f"/measurement/shared/{response.pk}/")
    assert page.status_code == 200
    entry = AccessLogEntry.objects.order_by("-id").first()
    assert AccessLogEntry.objects.count() == before + 1
    assert entry.subject_id == aino.pk
    assert entry.actor_id == ville.pk


def test_share__group_only_instrument__is_refused(personas):
    round_ = make_round(organisation=personas.organisations["county"], code="demo-belonging")
    response = answer_all(round=round_, person=personas.participant)
    with pytest.raises(services.MeasurementError):
        services.response_share(response=response, respondent=personas.participant, worker=personas.own_worker)
    response.refresh_from_db()
    assert response.shared_with_id is None


def test_link__used__shows_only_the_thank_you_and_the_way_to_take_the_answers_back(personas, client):
    round_ = make_round(organisation=personas.organisations["county"])
    services.round_invite(actor=None, round=round_, people=[personas.participant])
    invitation = round_.invitations.get()
    token = services.invitation_issue_link(invitation=invitation)
    response = services.link_open(token=token)
    services.response_save(response=response, values={i.code: 3 for i in round_.instrument.items.all()})
    services.response_submit(response=response)
    page = client.get(f"/measurement/a/{token}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Thank you for your answers" in body
    assert f'action="/measurement/a/{token}/withdraw/"' in body
    assert 'name="belong"' not in body


def test_link__expired__answers_410_and_creates_nothing(personas, client):
    round_ = make_round(organisation=personas.organisations["county"])
    services.round_invite(actor=None, round=round_, people=[personas.participant])
    invitation = round_.invitations.get()
    token = services.invitation_issue_link(invitation=invitation)
    Invitation.objects.filter(pk=invitation.pk).update(token_expires_at=timezone.now() - dt.timedelta(minutes=1))
    page = client.get(f"/measurement/a/{token}/")
    assert page.status_code == 410
    assert "expired" in page.content.decode()
    assert not Response.objects.exists()


def test_link__unknown_token__answers_410(db, client):
    page = client.get("/measurement/a/not-a-real-token/")
    assert page.status_code == 410


def test_link__only_the_hash_is_stored(personas):
    round_ = make_round(organisation=personas.organisations["county"])
    services.round_invite(actor=None, round=round_, people=[personas.participant])
    invitation = round_.invitations.get()
    token = services.invitation_issue_link(invitation=invitation)
    invitation.refresh_from_db()
    assert token not in invitation.token_hash
    assert len(invitation.token_hash) == 64


def test_answer_form__value_out_of_scale__answers_400_and_saves_nothing(personas, client):
    round_ = make_round(organisation=personas.organisations["county"])
    services.round_invite(actor=None, round=round_, people=[personas.participant])
    token = services.invitation_issue_link(invitation=round_.invitations.get())
    page = client.post(f"/measurement/a/{token}/", {"view": "all", "belong": "9", "action": "save"})
    assert page.status_code == 400
    assert "Choose one of the options" in page.content.decode()
    assert not Answer.objects.exists()


def test_report__group_of_three__shows_a_clear_message_and_no_figures(personas, login):
    round_ = make_round(organisation=personas.organisations["county"])
    for person in people(personas, 3):
        answer_all(round=round_, person=person, value=4)
    page = login(personas.analyst).get(f"/measurement/reports/rounds/{round_.pk}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Fewer than 5 people have answered" in body
    assert "<td>3</td>" not in body


def test_report__small_area__is_hidden_with_its_complement(personas):
    round_ = make_round(organisation=personas.organisations["county"])
    for person in people(personas, 12, municipality="Isokylä"):
        answer_all(round=round_, person=person, value=4)
    for person in people(personas, 2, municipality="Pikkukylä"):
        answer_all(round=round_, person=person, value=2)
    report = reports.round_report(round=round_)
    areas = next(t for t in report.tables if t.title == "By area")
    assert report.n == 14
    assert areas.total == 14
    assert [c.shown for c in areas.cells] == [False, False]


def test_change__paired_and_unpaired__are_reported_separately(personas):
    county = personas.organisations["county"]
    group = people(personas, 20)
    baseline = make_round(organisation=county, phase=0, group_key="g")
    follow_up = make_round(organisation=county, phase=1, group_key="g")
    for person in group[:15]:
        answer_all(round=baseline, person=person, value=2)
    for person in group[:10]:
        answer_all(round=follow_up, person=person, value=4)
    for person in group[15:]:
        answer_all(round=follow_up, person=person, value=5)
    change = reports.change_report(first=baseline, second=follow_up)
    assert (change.first_n, change.second_n, change.paired_n) == (15, 15, 10)
    # all 2s with two reverse items = 41.67, all 4s = 58.33 on the 0–100 scale
    assert change.paired_difference == Decimal("16.7")
    # everyone: 15 people at 58.333 (10) and 66.667 (5) against 15 at 41.667
    assert change.unpaired_difference == _round1((10 * 58.333 + 5 * 66.667) / 15 - 41.667)


@pytest.mark.parametrize(("only_first", "only_second"), [(1, 0), (0, 2), (4, 6)])
def test_change__few_answered_only_one_round__hides_the_paired_change(personas, only_first, only_second):
    """One person who answered only the baseline: the baseline's mean over 11 and the paired mean over
    10 would give her score (11·m − 10·m'). The paired figures are hidden, as a complement."""
    county = personas.organisations["county"]
    group = people(personas, 10 + only_first + only_second)
    baseline = make_round(organisation=county, phase=0, group_key="g")
    follow_up = make_round(organisation=county, phase=1, group_key="g")
    for person in group[: 10 + only_first]:
        answer_all(round=baseline, person=person, value=2)
    for person in [*group[:10], *group[10 + only_first :]]:
        answer_all(round=follow_up, person=person, value=4)
    change = reports.change_report(first=baseline, second=follow_up)
    assert change.first_shown
    assert change.second_shown
    assert change.paired_n is None
    assert change.paired_first_mean is None
    assert change.paired_second_mean is None
    assert change.paired_difference is None


def test_change__fewer_than_threshold_paired__hides_the_paired_change(personas):
    county = personas.organisations["county"]
    group = people(personas, 10)
    baseline = make_round(organisation=county, phase=0, group_key="g")
    follow_up = make_round(organisation=county, phase=1, group_key="g")
    for person in group[:5]:
        answer_all(round=baseline, person=person, value=2)
    for person in group[3:10]:
        answer_all(round=follow_up, person=person, value=4)
    change = reports.change_report(first=baseline, second=follow_up)
    assert change.paired_n is None
    assert change.paired_difference is None
    assert change.first_shown


def test_retention__anonymise__cuts_the_link_to_people_and_keeps_the_figures(personas):
    round_ = make_round(organisation=personas.organisations["county"])
    answer_all(round=round_, person=personas.participant)
    services.retention_apply(today=round_.retention_until + dt.timedelta(days=1))
    response = Response.objects.get(round=round_)
    assert response.respondent_id is None
    assert response.score is not None
    assert response.anonymised_at
    assert not Invitation.objects.filter(round=round_).exists()


def test_retention__delete__removes_the_answers(personas):
    round_ = make_round(organisation=personas.organisations["county"], retention_action="delete")
    answer_all(round=round_, person=personas.participant)
    services.retention_apply(today=round_.retention_until + dt.timedelta(days=1))
    assert not Response.objects.filter(round=round_).exists()
    assert not Answer.objects.exists()


def test_retention__before_the_date__changes_nothing(personas):
    round_ = make_round(organisation=personas.organisations["county"])
    answer_all(round=round_, person=personas.participant)
    services.retention_apply(today=round_.retention_until)
    assert Response.objects.get(round=round_).respondent_id == personas.participant.pk


def csv_stream(text: str) -> io.StringIO:
    return io.StringIO(text)


def test_answers_import__bad_line__names_it_and_saves_nothing(personas):
    round_ = make_round(organisation=personas.organisations["county"])
    text = "respondent,belong,useful,alone,future,say,unheard\nA1,1,2,3,4,5,1\nA2,1,2,9,4,5,1\n"
    with pytest.raises(services.MeasurementError) as caught:
        services.answers_import(round=round_, stream=csv_stream(text), actor=None)
    assert "line 3, column alone" in caught.value.message
    assert not Response.objects.filter(round=round_).exists()


def test_answers_import__good_file__scores_every_row(personas):
    round_ = make_round(organisation=personas.organisations["county"])
    text = "respondent,belong,useful,alone,future,say,unheard\nA1,5,5,1,5,5,1\nA2,1,1,5,1,1,5\n"
    result = services.answers_import(round=round_, stream=csv_stream(text), actor=None)
    scores = sorted(Response.objects.filter(round=round_).values_list("score", flat=True))
    assert result.responses == 2
    assert result.answers == 12
    assert [float(s) for s in scores] == [0.0, 100.0]


def test_reminders__send_a_fresh_link_to_those_who_were_emailed_and_have_not_answered(personas, mailoutbox):
    round_ = make_round(organisation=personas.organisations["county"])
    services.round_invite(actor=None, round=round_, people=[personas.participant, personas.participant2])
    assert services.invitations_email(round=round_) == 2
    answer_all(round=round_, person=personas.participant)
    mailoutbox.clear()
    assert services.reminders_send(round=round_) == 0  # not within three days of the invitation
    Invitation.objects.filter(round=round_).update(sent_at=timezone.now() - dt.timedelta(days=4))
    old_hash = Invitation.objects.get(round=round_, person=personas.participant2).token_hash
    sent = services.reminders_send(round=round_)
    assert sent == 1
    assert mailoutbox[0].to == [personas.participant2.email]
    assert "/measurement/a/" in mailoutbox[0].body
    assert "http://" in mailoutbox[0].body or "https://" in mailoutbox[0].body
    assert Invitation.objects.get(round=round_, person=personas.participant2).token_hash != old_hash
    assert services.reminders_send(round=round_) == 0  # at most every three days


def test_round_create__closing_before_opening__answers_400_and_creates_nothing(personas, login):
    from osallisuus.measurement.models import Instrument, Round

    client = login(personas.own_worker)
    page = client.post(
        "/measurement/rounds/new/",
        {
            "instrument": Instrument.objects.get(code="plan-checkin").pk,
            "organisation": personas.organisations["county"].pk,
            "name": "Spring",
            "group_kind": "cohort",
            "group_key": "spring",
            "phase": 0,
            "purpose": "To see how the group is doing.",
            "opens_on": "2026-12-10",
            "closes_on": "2026-12-01",
            "retention_until": "2027-12-01",
            "retention_action": "anonymise",
            "min_cell_size": 5,
        },
    )
    assert page.status_code == 400
    assert "must close after it opens" in page.content.decode()
    assert 'value="Spring"' in page.content.decode()
    assert not Round.objects.exists()


def test_report_export__xlsx__has_numbers_and_no_formulas(personas, login):
    from openpyxl import load_workbook

    round_ = make_round(organisation=personas.organisations["county"], area="=HYPERLINK(1)")
    for person in people(personas, 6):
        answer_all(round=round_, person=person, value=4)
    Response.objects.filter(round=round_).update(area="=HYPERLINK(1)")
    page = login(personas.analyst).get(f"/measurement/reports/rounds/{round_.pk}/export/xlsx/")
    assert page.status_code == 200
    sheet = load_workbook(io.BytesIO(page.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert 6 in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)


def test_in_app_invitation__participant_answers_and_sees_the_thank_you(personas, login):
    round_ = make_round(organisation=personas.organisations["county"], code="plan-checkin")
    services.round_invite(actor=None, round=round_, people=[personas.participant])
    client = login(personas.participant)
    listing = client.get("/measurement/")
    assert round_.instrument.display_name in listing.content.decode()
    start = client.post(f"/measurement/invitations/{round_.invitations.get().pk}/start/")
    response = Response.objects.get(round=round_)
    assert start.status_code == 302
    assert start["Location"].endswith(f"/measurement/r/{response.pk}/")
    data = {"view": "all", "action": "submit", "goals": "4", "support": "4", "activities": "4", "stuck": "2"}
    sent = client.post(f"/measurement/r/{response.pk}/", data)
    assert sent.status_code == 302
    thanks = client.get(sent["Location"])
    assert thanks.status_code == 200
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED
    assert str(response.score) not in thanks.content.decode()


def test_retention__responses_outside_rounds__are_anonymised_after_the_retention_days(personas):
    aino = personas.participant
    sent = services.response_start(instrument_code="plan-checkin", respondent=aino, context_module="activation")
    services.response_save(
        response=sent, values={"goals": 4, "support": 4, "activities": 4, "stuck": 2}, texts={"next": "x"}
    )
    services.response_submit(response=sent)
    open_one = services.response_start(
        instrument_code="plan-checkin", respondent=aino, context_module="activation", context_ref="other"
    )
    services.retention_apply(today=timezone.localdate() + dt.timedelta(days=10))
    assert Response.objects.get(pk=sent.pk).respondent_id == aino.pk  # not yet
    services.retention_apply(today=timezone.localdate() + dt.timedelta(days=services.RETENTION_DAYS_DEFAULT + 1))
    sent.refresh_from_db()
    assert sent.respondent_id is None
    assert sent.score is not None
    assert not Answer.objects.filter(response=sent, item__kind="text").exists()
    assert not Response.objects.filter(pk=open_one.pk).exists()


def test_answers_import__respondent_twice__names_the_line_and_saves_nothing(personas):
    round_ = make_round(organisation=personas.organisations["county"])
    text = "respondent,belong,useful,alone,future,say,unheard\nA1,1,2,3,4,5,1\nA2,1,2,3,4,5,1\nA1,5,5,5,5,5,5\n"
    with pytest.raises(services.MeasurementError) as caught:
        services.answers_import(round=round_, stream=csv_stream(text), actor=None)
    assert "line 4" in caught.value.message
    assert "A1" in caught.value.message
    assert not Response.objects.filter(round=round_).exists()


def test_answers_import__respondent_already_imported_earlier__is_refused(personas, monkeypatch):
    round_ = make_round(organisation=personas.organisations["county"])
    services.answers_import(
        round=round_,
        stream=csv_stream("respondent,belong,useful,alone,future,say,unheard\nA1,1,2,3,4,5,1\n"),
        actor=None,
    )
    from osallisuus.measurement.services import answer_files

    monkeypatch.setattr(answer_files, "BATCH", 1)
    text = "respondent,belong,useful,alone,future,say,unheard\nB1,1,2,3,4,5,1\nA1,5,5,5,5,5,5\n"
    with pytest.raises(services.MeasurementError) as caught:
        services.answers_import(round=round_, stream=csv_stream(text), actor=None)
    assert "line 3" in caught.value.message
    assert Response.objects.filter(round=round_).count() == 1


def test_breakdown__by_activity__hides_small_activities_with_their_complement(personas):
    county = personas.organisations["county"]
    from osallisuus.measurement.models import Instrument

    for i, person in enumerate(people(personas, 14)):
        response = services.response_start(
            instrument_code="plan-checkin",
            respondent=person,
            context_module="activation",
            context_ref="activity:walks" if i < 11 else "activity:choir",
            organisation=county,
        )
        services.response_save(response=response, values={"goals": 4, "support": 4, "activities": 4, "stuck": 2})
        services.response_submit(response=response)
    report = reports.breakdown_report(
        instrument=Instrument.objects.get(code="plan-checkin"),
        organisation_ids=[county.pk],
        dimension="activity",
        threshold=5,
    )
    table = report.tables[0]
    assert report.n == 14
    assert table.title == "By activity"
    assert [c.shown for c in table.cells] == [False, False]


def test_breakdown_page__group_by_module__shows_the_table(personas, login):
    from osallisuus.measurement.models import Instrument

    county = personas.organisations["county"]
    for person in people(personas, 6):
        response = services.response_start(
            instrument_code="plan-checkin", respondent=person, context_module="activation", organisation=county
        )
        services.response_save(response=response, values={"goals": 4, "support": 4, "activities": 4, "stuck": 2})
        services.response_submit(response=response)
    instrument = Instrument.objects.get(code="plan-checkin")
    page = login(personas.analyst).get(f"/measurement/reports/breakdown/?instrument={instrument.pk}&dimension=module")
    assert page.status_code == 200
    assert "By module" in page.content.decode()
    bad = login(personas.analyst).get("/measurement/reports/breakdown/?instrument=999999&dimension=module")
    assert bad.status_code == 400
