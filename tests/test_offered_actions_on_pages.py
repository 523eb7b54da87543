"""The pages offer exactly the actions the status tables allow: the beschikking page (with its
toewijzingen panel) from indications.workflow, the signals page from signals.workflow. The
templates test the offered actions, never a status string."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from indications import workflow
from indications.models import Indication
from indications.models import IndicationStatus as S
from signals.models import Signal, SignalStatus
from signals.workflow import ALLOWED_STATUS_CHANGES as SIGNAL_MOVES
from tests.factories import UserFactory, build_case_file
from tests.signals.test_pages import overdue_onderzoek

pytestmark = pytest.mark.django_db

# Each action of the beschikking page and the address its form or link uses. "review" (approve or
# send back) is the reviewer's, on the review panel, and is tested with the four-eyes pages.
ACTION_URLS = {
    "issue": "indications:indication_issue",
    "submit_for_review": "indications:indication_submit_for_review",
    "end": "indications:indication_end",
    "withdraw": "indications:indication_withdraw",
    "reopen": "indications:indication_reopen",
    "edit": "indications:indication_update",
    "refuse": "indications:indication_refuse",
    "evaluate": "indications:evaluation_create",
    "assign": "providers:change_provider",
}

# What the status table allows from each status, for a simple concept that meets the IB rules and
# a beschikking that has started; the page's author is a consulent with every permission for it.
EXPECTED = {
    S.CONCEPT: {"issue", "withdraw", "edit", "refuse"},
    S.TER_BEOORDELING: {"withdraw"},
    S.GOEDGEKEURD: {"issue", "reopen", "withdraw"},
    S.VASTGESTELD: {"end", "withdraw", "assign", "evaluate"},
    S.ACTIEF: {"end", "withdraw", "assign", "evaluate"},
    S.BEEINDIGD: set(),
    S.INGETROKKEN: set(),
    S.AFGEWEZEN: set(),
}


def in_status(consultant, status) -> Indication:
    today = timezone.localdate()
    case = build_case_file(consultant=consultant, melding_on=today - timedelta(days=60))
    indication = case.indication
    if status != S.CONCEPT:
        decided = status in (*workflow.GRANTED_STATUSES, S.INGETROKKEN, S.AFGEWEZEN)  # withdrawn after its decision
        refusal = (
            {
                "outcome": "afwijzing",
                "refusal_ground": "eigen_kracht",
                "refusal_motivation": "Netwerk",
                "provider": None,
            }
            if status == S.AFGEWEZEN
            else {}
        )
        Indication.objects.filter(pk=indication.pk).update(
            **refusal,
            status=status,
            start_date=today - timedelta(days=10),
            end_date=today + timedelta(days=300),
            ended_on=today - timedelta(days=1) if status == S.BEEINDIGD else None,
            decision_date=today - timedelta(days=12) if decided else None,
            number=f"IB-T-{indication.pk}" if decided else None,
            approved_by=UserFactory() if status == S.GOEDGEKEURD else None,
        )
        indication.refresh_from_db()
    return indication


@pytest.mark.parametrize("status", list(S))
def test_the_beschikking_page_offers_exactly_what_the_table_allows(client, consultant, status):
    indication = in_status(consultant, status)
    client.force_login(consultant)
    response = client.get(f"/indicaties/{indication.uuid}/")
    html = response.content.decode()
    shown = {
        action
        for action, name in ACTION_URLS.items()
        if reverse(name, kwargs={"indication_uuid": indication.uuid}) in html
    }
    assert shown == EXPECTED[status]
    assert response.context["actions"] - {"review"} == EXPECTED[status]
    # Every move offered is one the table allows from the status.
    targets = workflow.ALLOWED_STATUS_CHANGES[status]
    moves = {
        "issue": S.VASTGESTELD,
        "submit_for_review": S.TER_BEOORDELING,
        "end": S.BEEINDIGD,
        "withdraw": S.INGETROKKEN,
        "reopen": S.CONCEPT,
    }
    assert all(moves[action] in targets for action in shown if action in moves)
    assert ("edit" in shown) == (status in workflow.EDITABLE_STATUSES)
    assert ("assign" in shown) == (status in workflow.LIVE_STATUSES)


@pytest.mark.parametrize("status", [SignalStatus.OPEN, SignalStatus.IN_PROGRESS])
def test_the_signals_page_offers_the_moves_the_signal_table_allows(client, consultant, status):
    signal = overdue_onderzoek(consultant)
    Signal.objects.filter(pk=signal.pk).update(status=status)
    client.force_login(consultant)
    html = client.get("/signalen/").content.decode()
    offered = {
        target
        for target in (SignalStatus.IN_PROGRESS, SignalStatus.RESOLVED)
        if f'name="to_status" value="{target}"' in html
    }
    assert offered == {SignalStatus.IN_PROGRESS, SignalStatus.RESOLVED} & SIGNAL_MOVES[status]
    assert offered  # an open signal can always be solved


def test_no_template_decides_an_action_from_a_status_string():
    templates = Path(settings.BASE_DIR) / "templates"
    offending = []
    for path in templates.rglob("*.html"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if "status ==" in line and ("<form" in line or "<button" in line or "action=" in line):
                offending.append(f"{path.relative_to(templates)}:{number}")
    assert offending == []
