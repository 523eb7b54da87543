"""A bezwaar as objections.services.register_bezwaar leaves it (with its deadlines), for tests
elsewhere that need one in a given state; traits for the decided states."""

from datetime import timedelta

import factory

from objections import deadlines
from objections.models import Bezwaar, BezwaarStatus
from tests.factories import TODAY, IndicationFactory, UserFactory


class BezwaarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bezwaar

    handled_by = factory.SubFactory(UserFactory)
    beschikking = factory.SubFactory(IndicationFactory, actief=True, consultant=factory.SelfAttribute("..handled_by"))
    letter_date = factory.LazyAttribute(lambda o: o.beschikking.decision_date)
    received_on = factory.LazyAttribute(lambda o: o.letter_date + timedelta(days=14))
    grounds = "De begeleiding is te kort toegekend."
    bezwaartermijn_end = factory.LazyAttribute(lambda o: deadlines.bezwaartermijn_end(o.letter_date))
    filed_in_time = True
    decision_due = factory.LazyAttribute(
        lambda o: deadlines.decision_due(letter_date=o.letter_date, advisory_committee=o.advisory_committee)
    )
    advisory_committee = False

    class Params:
        ongegrond = factory.Trait(
            status=BezwaarStatus.ONGEGROND,
            decided_on=TODAY,
            decided_by=factory.SelfAttribute("handled_by"),
            decision_motivation="De beschikking blijft in stand.",
        )
