from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Team(models.Model):
    """A team of consultants and their team lead, working for one or more municipalities.
    Consultants and team leads see the clients of their teams' municipalities."""

    name = models.CharField(_("naam"), max_length=100, unique=True)
    municipalities = models.ManyToManyField(
        "indications.Municipality", related_name="teams", verbose_name=_("gemeenten")
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="teams", blank=True, verbose_name=_("medewerkers")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self):
        return self.name
