"""iWmo traffic in the demo: the case load is written as rows (not through the services), so its
toewijzingen have no WMO301 yet. This writes one for the newest toewijzingen, through the same hook
the services run, and lets a few providers' systems send a WMO305 that the rules reject (a typo in the
toewijzingnummer: TR019, 9019), so the outbox and the inbox have messages to look at (and the AVG
export has them). Then a handful of providers' systems are simulated (iwmo.simulator, the real inbox
path): each answers its 301s with a 302 and reports a start and a stop, so the demo shows
301 → 302 → 305 → 306 → 307 → 308 with no outside system, and two of them ask for a toewijzing
(315 → 316, on the worklist or answered by a 319). Those reports change the toewijzingen they
name, as a real provider's would. Idempotent: with messages present it does nothing."""

from datetime import date

from django.db import transaction

from indications.models import Client, Product
from indications.workflow import LIVE_STATUSES
from iwmo import regie
from iwmo.delivery import deliver_queued_messages
from iwmo.inbox import receive
from iwmo.models import IncomingMessage, OutgoingMessage
from iwmo.simulator import request_toewijzing, simulate_provider
from iwmo.toewijzing import queue_toewijzing
from iwmo.xml import Header
from providers.hooks import AssignmentsChanged
from providers.models import Assignment

from .figures import API_EXAMPLE_PROVIDER

TOEWIJZINGEN = 12
REJECTED_STARTS = 3
# Kept small: every simulated message goes through the whole inbox (parse, rules, services, retour).
SIMULATED_PROVIDERS = 4
DUE_TO_START = 4
SIMULATED_STARTS, SIMULATED_STOPS = 2, 1
# Each simulated provider also withdraws one report, asks one change (WMO317) and one toewijzing
# (WMO315) where it has a toewijzing that fits (iwmo.simulator), so the demo shows them.
SIMULATED_WITHDRAWALS, SIMULATED_CHANGE_REQUESTS, SIMULATED_ASSIGNMENT_REQUESTS = 1, 1, 1
# The first simulated provider rejects every 2nd 301 (9332), so the outbox shows an afgekeurde retour.
SIMULATED_REJECT_EVERY = 2
REQUESTS, REQUESTED_PRODUCT = 2, "IB1"


def ensure_iwmo_traffic(*, today: date) -> int:
    """The demo's iWmo messages; returns how many toewijzingen got their WMO301 (0: already there)."""
    if OutgoingMessage.objects.exists():
        return 0
    newest = list(
        Assignment.objects.active_on(today)
        .select_related("indication", "product", "provider")
        .order_by("-assigned_on", "-id")[:TOEWIJZINGEN]
    )
    # The newest toewijzingen mostly start later; a few that are due get their 301 too, so the
    # simulated providers have a start to report (305 → 306).
    due = (
        Assignment.objects.active_on(today)
        .filter(care_started_on=None, start_date__lte=today)
        .exclude(provider__agb_code=API_EXAMPLE_PROVIDER)
        .select_related("indication", "product", "provider")
        .order_by("-start_date", "-id")[:DUE_TO_START]
    )
    due = [assignment for assignment in due if assignment not in newest]
    newest = [*due, *newest]
    with transaction.atomic():
        for assignment in newest:
            queue_toewijzing(
                AssignmentsChanged(
                    client_id=assignment.indication.client_id,
                    provider_id=assignment.provider_id,
                    assignment_ids=(assignment.pk,),
                    by=None,
                    today=today,
                )
            )
        for number, assignment in enumerate([a for a in newest if a.care_started_on][:REJECTED_STARTS]):
            receive(
                _start_with_a_typo(assignment, number, today=today),
                channel=IncomingMessage.Channel.FOLDER,
                file_name=f"demo-start-{number}.xml",
                today=today,
            )
    deliver_queued_messages()
    # Not the README's API example provider: its curl flow needs a toewijzing without a reported start.
    providers = list(dict.fromkeys(a.provider for a in newest if a.provider.agb_code != API_EXAMPLE_PROVIDER))[
        :SIMULATED_PROVIDERS
    ]
    for number, provider in enumerate(providers):
        with transaction.atomic():
            simulate_provider(
                provider,
                starts=SIMULATED_STARTS,
                stops=SIMULATED_STOPS,
                reject_every=SIMULATED_REJECT_EVERY if number == 0 else 0,
                today=today,
                seed=number,
                withdrawals=SIMULATED_WITHDRAWALS,
                change_requests=SIMULATED_CHANGE_REQUESTS,
                assignment_requests=SIMULATED_ASSIGNMENT_REQUESTS,
            )
    # Two providers' systems ask for a toewijzing of a client they have none for (WMO315 → 316): the
    # request waits on the worklist, or is rejected at once (WMO319) when there is no contract.
    product = Product.objects.filter(code=REQUESTED_PRODUCT).first()
    for number, provider in enumerate(providers[:REQUESTS]):
        clients = list(
            Client.objects.exclude(indications__assignments__provider=provider)
            .filter(indications__status__in=LIVE_STATUSES)
            .distinct()
            .order_by("pk")[: number + 1]
        )
        client = clients[number] if len(clients) > number else None
        if client is not None and product is not None:
            with transaction.atomic():
                request_toewijzing(provider, client, product, reference=f"DEMO-VERZOEK-{number + 1}", today=today)
    deliver_queued_messages()
    return len(newest)


def _start_with_a_typo(assignment: Assignment, number: int, *, today: date) -> bytes:
    client = Client.objects.get(pk=assignment.indication.client_id)
    return regie.build_heenbericht(
        regie.Regiebericht(
            message_type=regie.START,
            header=Header(
                message_type=regie.START,
                sender=assignment.provider.agb_code,
                receiver=client.municipality.code,
                identification=f"DEMO{number:08d}",
                dagtekening=today,
            ),
            client=regie.RegieClient.of(client),
            producten=[
                regie.RegieProduct(
                    nummer=str(999_999_000 + number),  # no such toewijzing
                    categorie=assignment.product.iwmo_category,
                    code=assignment.product.iwmo_code,
                    begindatum=assignment.care_started_on,
                    status_aanlevering="1",
                )
            ],
        )
    )
