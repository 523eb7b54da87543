"""manage.py export_audit --format csv|jsonl [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--bsn BSN]
[--output FILE]: the audit trail in the NEN 7513 layout for the SIEM (see audit.export)."""

import re
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from audit import context
from audit.export import FORMATS, Selection, lines, record_export


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value!r}") from error


class Command(BaseCommand):
    help = "Export the audit trail in the NEN 7513 field layout (CSV or JSON lines) for the SIEM."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=FORMATS, default="csv")
        parser.add_argument("--since", type=_day, help="first day (YYYY-MM-DD), inclusive")
        parser.add_argument("--until", type=_day, help="last day (YYYY-MM-DD), inclusive")
        parser.add_argument("--bsn", default="", help="only the events about this person")
        parser.add_argument("--output", help="write to this file instead of standard output")

    def handle(self, *args, format, since, until, bsn, output, **options):
        if bsn and not re.fullmatch(r"\d{9}", bsn):
            raise CommandError("A BSN has exactly 9 digits.")
        if since and until and since > until:
            raise CommandError("--since lies after --until.")
        selection = Selection(since=since, until=until, bsn=bsn)
        with transaction.atomic(), context.purpose_of_use(context.ADMINISTRATION):
            selection = record_export(selection, format, actor_label="manage.py export_audit")
        if not output:
            for line in lines(selection, format):
                self.stdout.write(line, ending="")
            return
        with open(output, "w", encoding="utf-8", newline="") as target:
            for line in lines(selection, format):
                target.write(line)
        self.stderr.write(f"Written to {output}.")
