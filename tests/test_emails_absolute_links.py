"""Every e-mail the platform sends works when it is opened in a mail program: each link in the
HTML part and in the plain-text part is a full address on ``SITE_URL`` (never a bare path, never
another host), and the subject says what the message is about (not a generic "a notice").

The e-mails come from the real services: the whole demo data (requests, offers, meetings, goals,
votes…), then what the demo does not send by itself (questionnaire invitations and reminders
with personal links, the expert's welcome with the link to choose a password, a login
invitation, an accepted goal, a cancelled meeting, a shared plan, a place from the waiting
list). A second test sends one notice of every registered kind, so a kind added later is
covered without a new line here."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core import mail as django_mail
from django.utils import timezone

SITE = "https://osallisuus.example.fi"
GENERIC_SUBJECTS = {"Ilmoitus Osallisuus-palvelusta", "Meddelande från Osallisuus", "A notice from Osallisuus"}

pytestmark = pytest.mark.django_db

_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"')]+")
# A path on its own in the text: "/plan/3/" (not a date like 4/12, not "ja/tai").
_BARE_PATH = re.compile(r"(?<![\w:/.@])/(?:[a-z0-9_-]+/)+[\w.?=&%-]*")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"href", "src", "action"} and value is not None:
                self.links.append(value)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _problems_of_text(text: str, where: str) -> list[str]:
    found = [f"{where}: a link to another address: {u}" for u in _URL.findall(text) if not u.startswith(SITE + "/")]
    found += [f"{where}: a path without the address: {p}" for p in _BARE_PATH.findall(text)]
    return found


def problems(message: Any) -> list[str]:
    """What is wrong with one sent e-mail (an empty list when nothing is)."""
    found = []
    subject = message.subject.strip()
    if not subject or subject in GENERIC_SUBJECTS:
        found.append(f"the subject says nothing: {subject!r}")
    found += _problems_of_text(message.body, "text part")
    htmls = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    if len(htmls) != 1:
        found.append("no HTML part")
    for html in htmls:
        parser = _Links()
        parser.feed(html)
        found += [
            f"HTML part: a link that is not a full address here: {link}"
            for link in parser.links
            if not (link.startswith(SITE + "/") or link.startswith("mailto:"))
        ]
        found += _problems_of_text(" ".join(parser.text), "HTML text")
    return [f"{message.subject!r} to {message.to}: {p}" for p in found]


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.SITE_URL = SITE
    settings.IDENTITY_PROVIDERS = {
        "county": {
            "issuer": "https://login.example.fi/county",
            "client_id": "osallisuus",
            "client_secret": "not-a-secret-only-for-this-test",
            "organisations": "Järvi-Suomen hyvinvointialue",
            "label_fi": "Hyvinvointialueen tunnus",
            "label_sv": "Välfärdsområdets inloggning",
            "label_en": "Wellbeing county login",
        }
    }


def _demo(capture: Any) -> Any:
    from osallisuus.core.demo import DemoContext, load_all

    with capture(execute=True):
        return load_all(DemoContext(scale=0.05))


def test_every_email_the_services_send__has_full_links_and_a_subject(django_capture_on_commit_callbacks):
    from osallisuus.activation import services as activation
    from osallisuus.activation.models import Activity, Meeting, Plan
    from osallisuus.experts.services import registry
    from osallisuus.identity import services as identity
    from osallisuus.measurement.models import Invitation
    from osallisuus.measurement.services import links

    capture = django_capture_on_commit_callbacks
    ctx = _demo(capture)
    users, orgs = ctx.users, ctx.organisations
    sent_by_demo = len(django_mail.outbox)

    with capture(execute=True):
        # Questionnaire invitations and a reminder, with the personal link.
        invitation = Invitation.objects.filter(person=users["participant"]).select_related("round").first()
        assert invitation is not None
        round_ = invitation.round
        assert links.invitations_email(round=round_, actor=users["own_worker"]) >= 1
        later = timezone.now() + dt.timedelta(days=4)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(timezone, "now", lambda: later)
            assert links.reminders_send(round=round_, actor=users["own_worker"]) >= 1
        # The expert's welcome with the link to choose a password.
        registry.expert_register(
            actor=users["coordinator"],
            organisation_id=orgs["ngo"].pk,
            email="uusi.asiantuntija@example.fi",
            full_name="Uusi Asiantuntija",
        )
        # A login invitation.
        identity.invitation_send(user=users["participant"], provider_key="county", actor=users["administrator"])
        # Activation: a goal proposed and accepted, a cancelled meeting, a shared plan, a place
        # from the waiting list.
        aino = users["participant"]
        plan = Plan.objects.get(participant=aino)
        proposed = activation.goal_create(plan=plan, actor=users["own_worker"], title="Uusi tavoite", basket="doing")
        activation.goal_accept(goal=proposed, actor=aino)
        meeting = Meeting.objects.filter(plan=plan).exclude(status=Meeting.Status.CANCELLED).first()
        assert meeting is not None
        activation.meeting_cancel(meeting=meeting, actor=aino)
        activation.plan_share(plan=plan, actor=aino, email=users["expert"].email)
        _waiting_list_place(activation, Activity, users)

    sent = django_mail.outbox
    assert len(sent) > sent_by_demo + 6
    subjects = " | ".join(m.subject for m in sent)
    for expected in ("Muistutus", "Osallisuus", "Hyvinvointialueen tunnus"):
        assert expected in subjects
    assert [p for m in sent for p in problems(m)] == []


def _waiting_list_place(activation: Any, activity_model: Any, users: dict[str, Any]) -> None:
    """A full activity: the first on the waiting list gets the place that one cancellation frees."""
    from osallisuus.accounts import services as accounts

    activity = activity_model.objects.filter(capacity__gte=1).order_by("pk").first()
    assert activity is not None
    activity.capacity = 1
    activity.save(update_fields=["capacity"])
    people = []
    for i in range(2):
        person = accounts.user_create(email=f"jonossa{i}@example.fi", full_name=f"Jonossa {i}")
        accounts.membership_grant(user=person, organisation=activity.provider, roles=("participant",))
        people.append(person)
    activity.signups.all().delete()
    first = activation.signup_create(activity=activity, participant=people[0])
    activation.signup_create(activity=activity, participant=people[1], join_waiting_list=True)
    activation.signup_cancel(signup=first, actor=people[0])


def test_a_notice_of_every_registered_kind__is_emailed_with_full_links_and_says_what_it_is(
    django_capture_on_commit_callbacks,
):
    from osallisuus.accounts import services as accounts
    from osallisuus.core.notifications import kinds, notify

    person = accounts.user_create(email="vastaanottaja@example.fi", full_name="Vilja Vastaanottaja")
    with django_capture_on_commit_callbacks(execute=True):
        for kind in kinds():
            # Without a subject: the e-mail's subject is then the notice itself, not "a notice".
            notify(
                user=person,
                kind=kind.code,
                message="Tehtävä siirrettiin uuteen aikaan. Katso tiedot palvelusta.",
                url="/plan/1/",
                force_email=True,
            )
    sent = django_mail.outbox
    assert len(sent) == len(kinds())
    assert {m.subject for m in sent} == {"Tehtävä siirrettiin uuteen aikaan"}
    assert all(f"{SITE}/plan/1/" in m.body for m in sent)
    assert [p for m in sent for p in problems(m)] == []
