"""The page shell: skip link, landmarks, language switcher, htmx wiring, error pages."""

from __future__ import annotations

import json

import pytest
from django.contrib.staticfiles import finders
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import gettext

from osallisuus.core import views
from osallisuus.core.tests.shell_html import elements, find, one, text

pytestmark = pytest.mark.django_db

VISITOR_PAGES = ["/", "/account/login/", "/accessibility/", "/feedback/"]
LOGGED_IN_PAGES = ["/", "/account/", "/account/people/", "/privacy/who-has-seen-my-data/", "/account/api-tokens/"]


def _shell_pages(client, personas, login):
    pages = {url: client.get(url) for url in VISITOR_PAGES}
    login(personas.coordinator)
    pages.update({f"{url} (Kaisa)": client.get(url) for url in LOGGED_IN_PAGES})
    pages["person (Kaisa)"] = client.get(f"/account/people/{personas.expert.pk}/")
    pages["feedback error (Kaisa)"] = client.post("/feedback/", {"message": ""})
    return pages


def test_shell__every_page__has_skip_link_landmarks_and_one_heading(client, personas, login):
    for name, response in _shell_pages(client, personas, login).items():
        html = response.content.decode()
        els = elements(html)
        first_link = next(e for e in els if e.tag == "a")
        assert first_link.get("href") == "#main", name
        assert first_link.get("class") == "skip-link", name
        main = one(html, "main")
        assert main.get("id") == "main", name
        assert main.get("tabindex") == "-1", name
        assert len([e for e in els if e.tag == "header" and not e.inside("main")]) == 1, name
        assert len([e for e in els if e.tag == "footer" and not e.inside("main")]) == 1, name
        assert len(find(html, "h1")) == 1, name
        assert one(html, "html").get("lang") == "fi", name


def test_shell__every_page__has_no_inline_script_style_or_event_handler(client, personas, login):
    for name, response in _shell_pages(client, personas, login).items():
        for element in elements(response.content.decode()):
            if element.tag == "script":
                assert element.get("src"), f"inline script on {name}"
            assert element.tag != "style", name
            assert "style" not in element.attrs, f"style= on {name}: {element}"
            assert not [a for a in element.attrs if a.startswith("on")], f"on*= on {name}: {element}"


def test_shell__every_page__works_without_javascript(client, personas, login):
    """Links keep their href and forms their method (and action where htmx posts elsewhere)."""
    for name, response in _shell_pages(client, personas, login).items():
        for element in elements(response.content.decode()):
            if element.tag == "a":
                assert element.get("href"), f"link without href on {name}: {element}"
            if element.tag == "form":
                assert element.get("method") in {"get", "post"}, f"form without method on {name}: {element}"
            htmx = [a for a in element.attrs if a.startswith(("hx-get", "hx-post", "hx-put", "hx-delete"))]
            if htmx:
                assert element.tag in {"a", "form"}, f"{element.tag} with {htmx} cannot work without JS on {name}"


def test_language_switcher__posts_to_set_language_and_marks_the_current_language(client):
    html = client.get("/accessibility/").content.decode()

    form = one(html, "form", class_="language-switcher")
    assert (form.get("action"), form.get("method")) == ("/i18n/setlang/", "post")
    buttons = [b for b in find(html, "button") if form in b.parents]
    assert [(b.get("value"), text(b.text), b.get("lang")) for b in buttons] == [
        ("fi", "suomi", "fi"),
        ("fi-x-selko", "selkosuomi", "fi-x-selko"),
        ("sv", "svenska", "sv"),
        ("en", "English", "en"),
    ]
    assert all(b.get("type") == "submit" and b.get("name") == "language" for b in buttons)
    assert [b.get("value") for b in buttons if b.get("aria-current") == "true"] == ["fi"]
    nexts = [i for i in find(html, "input", name="next") if form in i.parents]
    assert nexts[0].get("value") == "/accessibility/"


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_language_switch__without_javascript__returns_to_the_same_page_in_that_language(client, lang):
    response = client.post("/i18n/setlang/", {"language": lang, "next": "/accessibility/"})

    assert response.status_code == 302
    assert response["Location"] == "/accessibility/"
    html = client.get("/accessibility/").content.decode()
    assert one(html, "html").get("lang") == lang
    form = one(html, "form", class_="language-switcher")
    assert [b.get("value") for b in find(html, "button") if form in b.parents and b.get("aria-current")] == [lang]
    with translation.override(lang):
        assert text(gettext("Accessibility statement")) in text(one(html, "h1").text)


def test_htmx__is_loaded_from_the_npm_package_with_a_safe_config_and_the_csrf_header(client):
    html = client.get("/feedback/").content.decode()

    scripts = [s.get("src") for s in find(html, "script")]
    assert "/static/vendor/htmx.org/dist/htmx.min.js" in scripts
    assert "/static/js/app.js" in scripts
    assert finders.find("vendor/htmx.org/dist/htmx.min.js")
    config = json.loads(one(html, "meta", name="htmx-config").get("content"))
    assert config["allowEval"] is False
    assert config["allowScriptTags"] is False
    assert config["includeIndicatorStyles"] is False  # htmx would otherwise add an inline <style> (CSP)
    headers = json.loads(one(html, "body").get("hx-headers"))
    assert len(headers["X-CSRFToken"]) >= 32


def test_htmx__csrf_header__is_accepted_for_a_post(personas):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    html = client.get("/feedback/").content.decode()
    token = json.loads(one(html, "body").get("hx-headers"))["X-CSRFToken"]

    refused = client.post("/feedback/", {"topic": "service", "message": "Hei"}, HTTP_HX_REQUEST="true")
    accepted = client.post(
        "/feedback/", {"topic": "service", "message": "Hei"}, HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=token
    )

    assert refused.status_code == 403
    assert accepted.status_code == 302


def test_styles__hds_and_app_css__are_linked_and_found(client):
    html = client.get("/").content.decode()

    sheets = [link.get("href") for link in find(html, "link", rel="stylesheet")]
    assert sheets == [
        "/static/vendor/hds-core/lib/base.min.css",
        "/static/vendor/hds-core/lib/components/all.min.css",
        "/static/css/app.css",
    ]
    for sheet in sheets:
        assert finders.find(sheet.removeprefix("/static/")), sheet


# -- error pages -----------------------------------------------------------------------
ERROR_TITLES = {
    400: "The request could not be understood",
    403: "You do not have access to this page",
    404: "Page not found",
    413: "The file or form is too large",
    500: "Something went wrong on our side",
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("status", sorted(ERROR_TITLES))
def test_error_page__each_status__is_friendly_and_in_the_users_language(status, lang):
    request = RequestFactory().get("/missing/", HTTP_COOKIE=f"django_language={lang}")
    handler = {
        400: lambda r: views.bad_request(r, None),
        403: lambda r: views.permission_denied(r, None),
        404: lambda r: views.page_not_found(r, None),
        413: views.request_too_large,
        500: views.server_error,
    }[status]

    response = handler(request)

    assert response.status_code == status
    html = response.content.decode()
    assert one(html, "html").get("lang") == lang
    with translation.override(lang):
        title = gettext(ERROR_TITLES[status])
    assert text(one(html, "h1").text) == text(title)
    assert str(status) in text(one(html, "main").text)
    assert [a.get("href") for a in find(html, "a")][:1] == ["#main"]
    assert "/" in [a.get("href") for a in find(html, "a") if a.inside("main")]
    assert one(html, "footer")


def test_error_page__unknown_address__is_a_404_page_in_swedish(client):
    client.cookies["django_language"] = "sv"

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert one(response.content.decode(), "html").get("lang") == "sv"


def test_error_page__forbidden_page__is_a_403_page(client, personas, login):
    login(personas.participant)

    response = client.get("/manage/feedback/")

    assert response.status_code == 403
    with translation.override("fi"):
        assert text(gettext(ERROR_TITLES[403])) == text(one(response.content.decode(), "h1").text)


def test_error_page__forbidden_when_signed_in__keeps_the_menu_and_says_who_can_help(client, personas, login):
    login(personas.participant)

    response = client.get("/manage/feedback/")

    assert response.status_code == 403
    html = response.content.decode()
    assert [n for n in find(html, "nav") if n.inside("header")], "the main menu is on the page"
    assert "/plan/" in [a.get("href") for a in find(html, "a")]
    main = text(one(html, "main").text)
    assert personas.organisations["county"].name in main
    assert "koordinaattori" in main.lower()


def test_error_page__oversized_body__is_a_413_page(client):
    response = client.generic(
        "POST", "/feedback/", b"x", content_type="text/plain", CONTENT_LENGTH=str(50 * 1024 * 1024)
    )

    assert response.status_code == 413
    assert one(response.content.decode(), "h1")


def test_error_page__api_path__answers_json():
    response = views.page_not_found(RequestFactory().get("/api/v1/nothing"), None)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
