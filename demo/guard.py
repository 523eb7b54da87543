"""The demo cannot reach production: it creates logins everyone knows, resets their passwords on every
run, and `load_demo --reset` deletes case data. Its commands run only on an installation marked as a
demo or test installation (settings.SDDCASE_INSTALLATION)."""

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

DEMO_INSTALLATIONS = ("demo", "test")


def refuse_outside_demo() -> None:
    """CommandError (in Dutch) unless this is a demo or test installation."""
    installation = getattr(settings, "SDDCASE_INSTALLATION", "production")
    if installation not in DEMO_INSTALLATIONS:
        raise CommandError(
            _(
                "Geweigerd: dit is een %(installation)s-installatie. De demo maakt bekende inloggegevens aan, "
                "zet wachtwoorden terug en kan dossiergegevens verwijderen; hij draait alleen op een demo- of "
                "testinstallatie (SDDCASE_INSTALLATION=demo of test)."
            )
            % {"installation": installation}
        )
