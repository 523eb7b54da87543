"""ui.transactions: an item kept with a savepoint marker survives unless a savepoint around its
marker rolled back (the shared mechanism of the batches' audit events, WMO301s, retours and care
reports)."""

import pytest
from django.db import transaction

from ui.transactions import savepoint_marker, surviving

pytestmark = pytest.mark.django_db


def test_an_item_whose_savepoint_rolled_back_does_not_survive():
    with transaction.atomic():
        kept = [("before", savepoint_marker())]
        try:
            with transaction.atomic():
                kept.append(("rolled back", savepoint_marker()))
                raise RuntimeError
        except RuntimeError:
            pass
        with transaction.atomic():
            kept.append(("committed savepoint", savepoint_marker()))
        assert surviving(kept) == ["before", "committed savepoint"]
