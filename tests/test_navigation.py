"""The main menu marks exactly one item as the current page, on every page (the SLA benchmark
lives under /aanbieders/ but is "SLA-cijfers", not also "Aanbieders")."""

import re

import pytest

from sddcase.navigation import MENU, menu_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def everyone():
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/werkvoorraad/", "Werkvoorraad"),
        ("/clienten/", "Cliënt zoeken"),
        ("/clienten/nieuw/", "Nieuwe cliënt"),
        ("/signalen/", "Signalen"),
        ("/signalen/zorgstapeling/", "Zorgstapeling"),
        ("/beoordelingen/cijfers/", "Beoordelingen"),
        ("/monitor/", "Monitor"),
        ("/monitor/clientervaringsonderzoek/", "Monitor"),
        ("/aanbieders/sla/", "SLA-cijfers"),
        ("/aanbieders/", "Aanbieders"),
        ("/aanbieders/6f1c1e9e-1b3c-4c55-9a57-2f0a2b2f6a11/dashboard/", "Aanbieders"),
    ],
)
def test_one_item_is_current(everyone, path, current):
    items = menu_for(everyone, path)
    assert len(items) == len(MENU)
    assert [str(item["label"]) for item in items if item["current"]] == [current]


def test_a_page_outside_the_menu_marks_nothing(everyone):
    assert not any(item["current"] for item in menu_for(everyone, "/indicaties/x/"))


def test_the_rendered_menu_of_the_sla_benchmark_has_one_current_item(client, everyone):
    client.force_login(everyone)
    page = client.get("/aanbieders/sla/").content.decode()
    nav = page[page.index('<nav aria-label="Hoofdmenu"') : page.index("</nav>")]
    assert re.findall(r'<a href="([^"]+)" aria-current="page">([^<]+)</a>', nav) == [
        ("/aanbieders/sla/", "SLA-cijfers")
    ]
    assert "Aanbieders</a>" in nav  # still in the menu, not current
