"""manage.py iwmo_simulate_provider AGB [--starts N] [--stops N] [--reject-every N] [--withdrawals N]
[--change-requests N] [--assignment-requests N] [--seed N]: the provider's system, simulated
(iwmo.simulator): a WMO302 on every unanswered WMO301 to that provider, then WMO305 starts and WMO307
stops for some of its toewijzingen, withdrawals of some of them (StatusAanlevering 3), WMO317
verzoeken om wijziging and WMO315 verzoeken om toewijzing, all through the inbox, and the registered
steps (billing: the monthly WMO323 with its errors and credits). Idempotent; the same seed gives the
same choices and messages."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from iwmo.simulator import simulate_provider
from providers.models import Provider


class Command(BaseCommand):
    help = (
        "Simuleert het systeem van een aanbieder: beantwoordt elke WMO301 met een WMO302 en meldt start (WMO305) "
        "en stop (WMO307) van een deel van de toewijzingen, trekt soms een melding in (StatusAanlevering 3) en "
        "stuurt soms een verzoek om wijziging (WMO317) of om toewijzing (WMO315). Nog eens draaien verstuurt niets "
        "nieuws."
    )

    def add_arguments(self, parser):
        parser.add_argument("agb", help="AGB-code van de aanbieder.")
        parser.add_argument("--starts", type=int, default=3, help="Aantal toewijzingen waarvan de start gemeld wordt.")
        parser.add_argument("--stops", type=int, default=1, help="Aantal gestarte toewijzingen dat gestopt wordt.")
        parser.add_argument(
            "--reject-every",
            type=int,
            default=0,
            help="Keur elke N-de WMO301 af met retourcode 9332 (voor de demo; 0 = alles 0200).",
        )
        parser.add_argument(
            "--withdrawals", type=int, default=1, help="Aantal gemelde starts of stops dat wordt ingetrokken."
        )
        parser.add_argument(
            "--change-requests", type=int, default=1, help="Aantal verzoeken om wijziging (WMO317): verlenging."
        )
        parser.add_argument(
            "--assignment-requests",
            type=int,
            default=1,
            help="Aantal verzoeken om toewijzing (WMO315) voor cliënten van wie de toewijzing is beëindigd.",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=0,
            help=(
                "Startwaarde van het toeval (keuze van toewijzingen, fouten en creditregels in de declaraties): "
                "dezelfde seed geeft dezelfde berichten."
            ),
        )

    def handle(self, *args, agb, starts, stops, reject_every, seed, **options):
        provider = Provider.objects.filter(agb_code=agb).first()
        if provider is None:
            raise CommandError(f"Geen aanbieder met AGB-code {agb}.")
        wanted = {name: options[name] for name in ("withdrawals", "change_requests", "assignment_requests")}
        if min(starts, stops, reject_every, *wanted.values()) < 0:
            raise CommandError("Aantallen kunnen niet negatief zijn.")
        result = simulate_provider(
            provider,
            starts=starts,
            stops=stops,
            reject_every=reject_every,
            today=timezone.localdate(),
            seed=seed,
            **wanted,
        )
        for label, count in sorted(result.statuses.items()):
            self.stdout.write(f"  {label}: {count}")
        self.stdout.write(
            f"{provider.name}: {result.retours} WMO302 ({result.rejected_retours} met afkeur), "
            f"{result.starts} WMO305, {result.stops} WMO307, {result.withdrawals} ingetrokken, "
            f"{result.change_requests} WMO317, {result.assignment_requests} WMO315, "
            f"{result.antwoord_retours} WMO320."
        )
