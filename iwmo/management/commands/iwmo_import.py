"""manage.py iwmo_import DIR: receive every *.xml file in DIR as an incoming iWmo message (WMO305,
WMO307, WMO315, WMO317, and the retours WMO302, WMO320). A file received before (the same bytes) is
that message again and changes nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from iwmo.inbox import receive
from iwmo.models import IncomingMessage


class Command(BaseCommand):
    help = "Ontvang de iWmo-berichten in een map; elk heenbericht krijgt zijn retourbericht."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options):
        if not directory.is_dir():
            raise CommandError(f"{directory} is geen map.")
        counts: dict[str, int] = {}
        for path in sorted(directory.glob("*.xml")):
            message = receive(path.read_bytes(), channel=IncomingMessage.Channel.FOLDER, file_name=path.name)
            label = message.get_status_display()
            counts[label] = counts.get(label, 0) + 1
            self.stdout.write(f"{path.name}: {message.message_type or '?'} {message.identification or '?'} {label}")
        summary = ", ".join(f"{count} {label}" for label, count in sorted(counts.items())) or "geen berichten"
        self.stdout.write(f"Klaar: {summary}.")
