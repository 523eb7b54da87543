"""The AVG export (inzageverzoek, art. 15 AVG) holds every category of personal data the system keeps
about the person, derived from the models, in Dutch: dates as dd-mm-jjjj, Dutch column names."""

import operator
from datetime import date
from functools import reduce
from io import BytesIO

import pytest
from django.apps import apps
from django.db.models import Q
from django.utils import timezone
from openpyxl import load_workbook

from accounts.roles import CONSULENT
from billing.models import Declaratie, Prestatie
from demo.generator import generate_demo
from indications import privacy
from indications.emergency_services import grant_emergency_access
from indications.models import Client, DestructionProposal, DestructionStatus, DestructionStatusChange
from indications.selectors import clients_visible_to
from signals.models import Signal, SignalStatus
from signals.services import move_signal, run_all_checks
from tests.conftest import built_once_per_module
from tests.factories import TODAY, IncomingMessageFactory, UserFactory, staff_member

pytestmark = pytest.mark.django_db


def _fk_chains_to_client() -> dict:
    """Every model (auto-created many-to-many tables too) with a chain of foreign keys to Client,
    with all its chains as lookups: walked here on its own, apart from the code under test."""
    chains = {Client: [""]}
    for _step in range(5):
        for model in apps.get_models(include_auto_created=True):
            for field in model._meta.concrete_fields:
                if field.is_relation and field.related_model in chains and field.related_model is not model:
                    for chain in chains[field.related_model]:
                        lookup = f"{field.name}__{chain}" if chain else field.name
                        if model is not Client and lookup not in chains.setdefault(model, []):
                            chains[model].append(lookup)
    return chains


@pytest.fixture(scope="module")
def case_load(django_db_setup, django_db_blocker):
    """Demo data with every kind of record, signals with their history included (built once)."""

    def build():
        generate_demo(clients=40, today=TODAY, seed=11)
        run_all_checks(today=TODAY)
        signal = Signal.objects.first()
        move_signal(signal, to_status=SignalStatus.IN_PROGRESS, by=UserFactory(), note="Gebeld.", today=TODAY)
        # A declaratie that came in as a message about one client (the demo bills through the API).
        # One that a payment batch paid, so the payment line is in the export as well.
        line = Prestatie.objects.filter(client__isnull=False, declaratie__payment_line__isnull=False).first()
        incoming = IncomingMessageFactory(client=line.client, provider=line.provider, message_type="WMO323")
        Declaratie.objects.filter(pk=line.declaratie_id).update(incoming_message=incoming)
        # A toegang in noodsituatie by a consultant of another team (the demo has none).
        crisis = staff_member(CONSULENT, username="crisis-consulent")
        outside = Client.objects.exclude(pk__in=clients_visible_to(crisis).values("pk")).order_by("pk").first()
        grant_emergency_access(by=crisis, bsn=outside.bsn, reason="Crisismelding van de politie, cliënt in nood")
        # A proposal to destroy a closed file, with its history (the demo's files are all recent).
        proposal = DestructionProposal.objects.create(
            client=outside, closed_on=date(2010, 1, 1), retention_years=15, proposed_at=timezone.now()
        )
        DestructionStatusChange.objects.create(proposal=proposal, to_status=DestructionStatus.PROPOSED)

    yield from built_once_per_module(django_db_blocker, build)


def test_the_avg_export_covers_every_model_that_refers_to_the_client(case_load):
    """A new model with a relation to the client cannot be left out: each one has a sheet holding
    exactly the client's records, and each auto-created link table is a column of its model's sheet."""
    exported = privacy.client_data_models()
    for model, chains in _fk_chains_to_client().items():
        if model._meta.auto_created:  # a many-to-many table: a column in the sheet of the model that owns it
            owner = next(m for m in exported if any(f.remote_field.through is model for f in m._meta.many_to_many))
            assert any(f.many_to_many and f.remote_field.through is model for f in privacy.export_fields(owner))
            continue
        assert model in exported, f"{model._meta.label} refers to the client but is not in the AVG export"
        if model is Client:
            continue
        query = reduce(operator.or_, (Q(**{f"{chain}__isnull": False}) for chain in chains))
        some = model._default_manager.filter(query).first()
        assert some is not None, f"no {model._meta.label} in the test data: the check would prove nothing"
        person = next(
            Client.objects.get(pk=value)
            for chain in chains
            if (value := model._default_manager.filter(pk=some.pk).values_list(f"{chain}__pk", flat=True)[0])
        )
        expected = (
            model._default_manager.filter(reduce(operator.or_, (Q(**{chain: person}) for chain in chains)))
            .distinct()
            .count()
        )
        workbook = load_workbook(BytesIO(privacy.inzage_export(person)))
        assert workbook[privacy.sheet_title(model)].max_row - 1 == expected, model._meta.label


def test_the_avg_export_writes_dutch_dates_and_dutch_column_names(case_load):
    person = Signal.objects.filter(history__isnull=False).first().client
    workbook = load_workbook(BytesIO(privacy.inzage_export(person)))
    formats = {
        cell.number_format
        for sheet in workbook
        for row in sheet.iter_rows(min_row=2)
        for cell in row
        if isinstance(cell.value, date)
    }
    assert formats == {"dd-mm-yyyy", "dd-mm-yyyy hh:mm"}
    for model in privacy.client_data_models():
        for field in privacy.export_fields(model):
            derived = field.name.replace("_", " ").capitalize()  # what Django makes of a field without a name
            assert privacy.column_label(field) != derived or field.name in privacy.DUTCH_AS_IS, (
                f"{model._meta.label}.{field.name} has no Dutch name: give it a verbose_name"
            )
