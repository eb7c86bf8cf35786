import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_scratch(page, personas):
    axe = Axe()
    for url in ["/", "/account/login/", "/accessibility/", "/feedback/", "/nope/"]:
        page.goto(url)
        r = axe.run(page)
        print(url, r.generate_report())
