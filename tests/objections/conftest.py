from datetime import date

import pytest

from objections import services
from tests.factories import IndicationFactory

LETTER_DATE = date(2026, 9, 7)  # bezwaartermijn to 19 October, decision due 30 November 2026


@pytest.fixture
def beschikking(consultant):
    return IndicationFactory(actief=True, decision_date=LETTER_DATE, consultant=consultant)


@pytest.fixture
def register(beschikking, consultant, today):
    def register(**values):
        defaults = {"received_on": date(2026, 10, 1), "grounds": "Te weinig uren toegekend.", "today": today}
        return services.register_bezwaar(
            values.pop("beschikking", beschikking), by=consultant, **{**defaults, **values}
        )

    return register


@pytest.fixture
def bezwaar(register):
    return register()
