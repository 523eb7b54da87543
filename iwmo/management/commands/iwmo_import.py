"""manage.py iwmo_import DIR: receive every *.xml file in DIR as an incoming iWmo message (WMO305,
WMO307, WMO315, WMO317, and the retours WMO302, WMO320). A file received before (the same bytes) is
that message again and changes nothing. The files go through iwmo.inbox.receive_many: a batch of
them per transaction, each in its own savepoint (one file that fails is reported and rolled back
alone; importing the folder again tries it again)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from iwmo.inbox import receive_many
from iwmo.models import IncomingMessage


class Command(BaseCommand):
    help = "Ontvang de iWmo-berichten in een map; elk heenbericht krijgt zijn retourbericht."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options):
        if not directory.is_dir():
            raise CommandError(f"{directory} is geen map.")
        counts: dict[str, int] = {}
        paths = sorted(directory.glob("*.xml"))
        received = receive_many(
            (path.read_bytes() for path in paths),
            channel=IncomingMessage.Channel.FOLDER,
            file_names=[path.name for path in paths],
        )
        for path, message in zip(paths, received, strict=True):
            if message is None:
                label = "mislukt"
                self.stdout.write(f"{path.name}: mislukt (zie het log); opnieuw importeren probeert het opnieuw")
            else:
                label = message.get_status_display()
                self.stdout.write(f"{path.name}: {message.message_type or '?'} {message.identification or '?'} {label}")
            counts[label] = counts.get(label, 0) + 1
        summary = ", ".join(f"{count} {label}" for label, count in sorted(counts.items())) or "geen berichten"
        self.stdout.write(f"Klaar: {summary}.")
