"""The largest table keeps no index that another one already covers: ZRM scores are looked up by
assessment through the unique (assessment, domain) constraint only."""

import pytest
from django.db import connection

from indications.models import ZrmScore

pytestmark = pytest.mark.django_db


def test_no_index_on_the_assessment_alone_and_the_unique_constraint_leads_with_it():
    table = ZrmScore._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    assessment = ZrmScore._meta.get_field("assessment").column
    alone = [name for name, c in constraints.items() if c["index"] and not c["unique"] and c["columns"] == [assessment]]
    assert alone == []
    unique = constraints["zrm_score_once_per_domain"]
    assert unique["unique"] and unique["columns"][0] == assessment
