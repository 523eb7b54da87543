"""Issue an API key for a provider from the command line (the admin does the same)."""

from django.core.management.base import BaseCommand, CommandError

from providers.models import Provider
from providers.services import issue_api_token


class Command(BaseCommand):
    help = "Geeft een API-sleutel uit voor een aanbieder (de sleutel wordt één keer getoond)."

    def add_arguments(self, parser):
        parser.add_argument("agb_code", help="AGB-code van de aanbieder")
        parser.add_argument("--name", default="uitgegeven via de commandoregel", help="Omschrijving van de sleutel")

    def handle(self, *args, agb_code, name, **options):
        provider = Provider.objects.filter(agb_code=agb_code).first()
        if provider is None:
            raise CommandError(f"Geen aanbieder met AGB-code {agb_code}.")
        token, key = issue_api_token(provider, name=name, by=None)
        self.stdout.write(key)
