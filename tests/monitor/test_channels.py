"""The monitor counts meldingen per channel per year, the new inflow channels jeugdhulp and
GGZ / kliniek (seed 000) among them, as the refresh stores them; a municipality selection applies,
other filters do not."""

from datetime import date

import pytest

from indications.models import Melding, Municipality
from monitor.selectors import Selection, meldingen_per_channel
from monitor.services import refresh_monitor
from tests.factories import ClientFactory, MeldingFactory

pytestmark = pytest.mark.django_db


def test_meldingen_per_channel_per_year_with_the_new_channels():
    MeldingFactory(channel=Melding.Channel.YOUTH_CARE, received_on=date(2025, 12, 31))
    MeldingFactory(channel=Melding.Channel.YOUTH_CARE, received_on=date(2026, 1, 1))
    MeldingFactory(channel=Melding.Channel.YOUTH_CARE, received_on=date(2026, 3, 1))
    MeldingFactory(channel=Melding.Channel.MENTAL_HEALTH_CLINIC, received_on=date(2026, 2, 1))
    MeldingFactory(channel=Melding.Channel.PHONE, received_on=date(2024, 12, 31))  # before the years
    refresh_monitor(today=date(2026, 12, 1), first_year=2024)
    table = meldingen_per_channel(Selection(), [2025, 2026])
    rows = {row[0]: row[1:] for row in table.rows}
    assert list(rows) == [str(label) for label in Melding.Channel.labels]
    assert rows["jeugdhulp"] == [1, 2, 100.0]
    assert rows["GGZ / kliniek"] == [0, 1, None]
    assert rows["telefoon"] == [0, 0, None]
    assert [Melding.Channel.YOUTH_CARE.value, Melding.Channel.MENTAL_HEALTH_CLINIC.value] == [
        "jeugdhulp",
        "ggz_kliniek",
    ]


def test_only_the_selected_municipality_counts():
    other = Municipality.objects.exclude(name="Dordrecht").first()
    MeldingFactory(channel=Melding.Channel.MENTAL_HEALTH_CLINIC, received_on=date(2026, 2, 1))
    MeldingFactory(
        client=ClientFactory(municipality=other),
        channel=Melding.Channel.MENTAL_HEALTH_CLINIC,
        received_on=date(2026, 2, 1),
    )
    dordrecht = Municipality.objects.get(name="Dordrecht")
    refresh_monitor(today=date(2026, 12, 1), first_year=2026)
    rows = {row[0]: row[1:] for row in meldingen_per_channel(Selection(municipality=dordrecht), [2026]).rows}
    assert rows["GGZ / kliniek"] == [1, 0.0]
    rows = {row[0]: row[1:] for row in meldingen_per_channel(Selection(), [2026]).rows}
    assert rows["GGZ / kliniek"] == [2, 0.0]


def test_a_melding_after_the_refresh_counts_from_the_next_one():
    MeldingFactory(channel=Melding.Channel.PHONE, received_on=date(2026, 2, 1))
    refresh_monitor(today=date(2026, 12, 1), first_year=2026)
    MeldingFactory(channel=Melding.Channel.PHONE, received_on=date(2026, 2, 2))
    assert {row[0]: row[1] for row in meldingen_per_channel(Selection(), [2026]).rows}["telefoon"] == 1
    refresh_monitor(today=date(2026, 12, 1), first_year=2026)
    assert {row[0]: row[1] for row in meldingen_per_channel(Selection(), [2026]).rows}["telefoon"] == 2
