"""Print the demo logins with their roles (`make run` prints them last, right before the server starts)."""

from django.core.management.base import BaseCommand

from demo.figures import DEMO_USERS
from demo.guard import refuse_outside_demo


class Command(BaseCommand):
    help = "Toont de demo-inloggegevens met hun rol."

    def handle(self, *args, **options):
        refuse_outside_demo()
        self.stdout.write("Demo-inloggegevens (gebruikersnaam / wachtwoord / rol):")
        for username, password, _first, _last, role, _staff, _superuser in DEMO_USERS:
            self.stdout.write(f"  {username:16} {password:22} {role}")
