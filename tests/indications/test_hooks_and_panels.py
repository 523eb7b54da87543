"""The case file reaches the layers above it only through its typed hooks and page panels: the
provider domain and the signal engine register them at start-up, a hook runs inside the case-file
service's transaction (a failing one takes the change back), and a client page never loads the
clients the user may see."""

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.backends.utils import CursorWrapper

from audit.models import AuditEvent
from indications import hooks, panels, services
from indications.models import ComplexityRule, IndicationStatusChange
from indications.models import IndicationStatus as S
from providers import panels as provider_panels
from providers import services as provider_services
from providers.models import Assignment
from signals import panels as signal_panels
from tests.factories import ClientFactory, IndicationFactory


def snapshot():
    return (IndicationStatusChange.objects.count(), AuditEvent.objects.count(), Assignment.objects.count())


@pytest.fixture
def issuable(ib_client, provider, today):
    """A concept that passes every rule, naming a contracted provider (no four eyes needed)."""
    ComplexityRule.objects.update(is_active=False)
    return IndicationFactory(client=ib_client, provider=provider, start_date=today)


@pytest.fixture
def extra_hook():
    """Register a callback on a hook for one test only."""
    registered = []

    def register(hook, callback):
        hook.register(callback)
        registered.append((hook, callback))

    yield register
    for hook, callback in registered:
        hook.unregister(callback)


# -- registered at start-up ----------------------------------------------------------------------


def test_the_provider_domain_registers_its_hooks_at_start_up():
    assert provider_services.contract_errors in hooks.vaststelling_checks.callbacks
    assert provider_services.assign_on_vaststelling in hooks.beschikking_issued.callbacks
    assert provider_services.end_assignments_on_end in hooks.beschikking_ended.callbacks


def test_the_higher_layers_register_their_page_panels_at_start_up():
    assert provider_panels.worklist_panel in panels.panels_of(panels.WORKLIST)
    assert signal_panels.worklist_panel in panels.panels_of(panels.WORKLIST)
    assert provider_panels.client_file_panel in panels.panels_of(panels.CLIENT_FILE)
    assert provider_panels.indication_detail_panel in panels.panels_of(panels.INDICATION_DETAIL)


def test_a_panel_for_a_page_that_has_no_slot_is_refused():
    with pytest.raises(KeyError):
        panels.register_panel("geen-pagina", provider_panels.worklist_panel)


# -- the hooks run inside the service's transaction ------------------------------------------------


def test_the_vaststelling_creates_the_toewijzing_through_the_hook(issuable, provider, today):
    issued = services.issue_beschikking(issuable, by=issuable.consultant, today=today)
    assert issued.status == S.ACTIEF
    assert list(Assignment.objects.filter(indication=issued).values_list("provider_id", flat=True)) == [provider.pk]


def test_a_failing_hook_rolls_the_vaststelling_back(issuable, today, extra_hook):
    """The toewijzing was written by the provider domain's hook; a later hook fails: nothing of the
    vaststelling stays, not the status, the number, the history, the audit nor the toewijzing."""
    seen = {}

    def failing(vaststelling: hooks.Vaststelling):
        seen["assignments"] = Assignment.objects.filter(indication=vaststelling.indication).count()
        raise ValidationError("Toewijzing kon niet worden verstuurd", code="hook_failed")

    extra_hook(hooks.beschikking_issued, failing)
    before = snapshot()
    with pytest.raises(ValidationError) as failure:
        services.issue_beschikking(issuable, by=issuable.consultant, today=today)
    assert failure.value.code == "hook_failed"
    assert seen == {"assignments": 1}  # the hook ran after the toewijzing, in the same transaction
    issuable.refresh_from_db()
    assert (issuable.status, issuable.number, issuable.decision_date) == (S.CONCEPT, None, None)
    assert snapshot() == before


def test_a_vaststelling_without_a_registered_toewijzing_hook_is_refused(issuable, today, monkeypatch):
    monkeypatch.setattr(hooks.beschikking_issued, "_callbacks", [])
    before = snapshot()
    with pytest.raises(ImproperlyConfigured):
        services.issue_beschikking(issuable, by=issuable.consultant, today=today)
    issuable.refresh_from_db()
    assert (issuable.status, issuable.number) == (S.CONCEPT, None)
    assert snapshot() == before


def test_a_vaststelling_check_of_a_higher_layer_refuses_the_vaststelling(issuable, today, extra_hook):
    extra_hook(hooks.vaststelling_checks, lambda indication: [ValidationError("Geen plek", code="no_capacity")])
    with pytest.raises(ValidationError) as failure:
        services.issue_beschikking(issuable, by=issuable.consultant, today=today)
    assert "no_capacity" in {error.code for error in failure.value.error_list}
    issuable.refresh_from_db()
    assert issuable.status == S.CONCEPT


def test_a_failing_end_hook_rolls_the_end_back(issuable, today, extra_hook):
    issued = services.issue_beschikking(issuable, by=issuable.consultant, today=today)
    ends = []

    def failing(end: hooks.BeschikkingEnd):
        ends.append((end.end_date, end.reason))
        raise RuntimeError("toewijzing vergrendeld")

    extra_hook(hooks.beschikking_ended, failing)
    before = snapshot()
    with pytest.raises(RuntimeError):
        services.end_beschikking(
            issued, by=issued.consultant, ended_on=today + timedelta(days=10), reason="Doelen bereikt", today=today
        )
    assert ends == [(today + timedelta(days=10), "05")]
    issued.refresh_from_db()
    assert (issued.status, issued.ended_on, issued.end_reason) == (S.ACTIEF, None, "")
    assert Assignment.objects.get(indication=issued).end_date == issued.end_date
    assert snapshot() == before


# -- client pages never load every visible client --------------------------------------------------


@pytest.fixture
def fetched_rows(monkeypatch):
    """Count the rows each query fetched, per query, by wrapping the cursor's fetch methods."""
    rows: list[tuple[str, int]] = []

    def counting(name):
        def fetch(self, *args):
            result = getattr(self.cursor, name)(*args)
            count = (0 if result is None else 1) if name == "fetchone" else len(result)
            rows.append((self.cursor_sql, count))
            return result

        return fetch

    real_execute = CursorWrapper.execute

    def execute(self, sql, params=None):
        self.cursor_sql = sql
        return real_execute(self, sql, params)

    monkeypatch.setattr(CursorWrapper, "execute", execute)
    for name in ("fetchone", "fetchmany", "fetchall"):
        monkeypatch.setattr(CursorWrapper, name, counting(name), raising=False)
    return rows


CLIENT_PAGES = ["/clienten/{uuid}/", "/clienten/{uuid}/wijzigen/", "/clienten/{uuid}/melding/"]


@pytest.mark.parametrize("page", CLIENT_PAGES)
def test_a_client_page_fetches_the_client_not_every_client_the_user_may_see(client, consultant, page, fetched_rows):
    shown, *others = ClientFactory.create_batch(40)
    client.force_login(consultant)
    fetched_rows.clear()
    assert client.get(page.format(uuid=shown.uuid)).status_code == 200
    from_clients = [(sql, count) for sql, count in fetched_rows if 'FROM "indications_client"' in sql]
    assert from_clients, "the page looks the client up"
    assert max(count for _sql, count in from_clients) == 1
    # However many clients the consultant's teams serve, the page fetches a handful of rows of them.
    assert sum(count for _sql, count in from_clients) <= 3
