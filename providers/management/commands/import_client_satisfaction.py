"""Import the results of the cliëntervaringsonderzoek from an XLSX file (the upload page does the same)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from providers.satisfaction import import_client_satisfaction


class Command(BaseCommand):
    help = "Leest de uitslagen van het cliëntervaringsonderzoek in uit een XLSX-bestand (alles of niets)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Het XLSX-bestand")
        parser.add_argument("--gebruiker", default="", help="Gebruikersnaam die de import doet (voor de audit)")

    def handle(self, *args, path, gebruiker, **options):
        user = None
        if gebruiker:
            user = get_user_model().objects.filter(username=gebruiker).first()
            if user is None:
                raise CommandError(f"Geen gebruiker '{gebruiker}'.")
        try:
            with open(path, "rb") as file:
                source = import_client_satisfaction(file, by=user)
        except OSError as error:
            raise CommandError(f"Kan '{path}' niet openen: {error.strerror}.") from None
        except ValidationError as error:
            raise CommandError("Niet ingelezen:\n" + "\n".join(error.messages)) from None
        self.stdout.write(f"{source.rows} uitslagen ingelezen uit {source.file_name}.")
