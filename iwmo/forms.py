"""The filters of the message-traffic pages (GET forms): the day, and type, direction, provider,
municipality and status. A status belongs to one direction (wachtrij/afgeleverd/mislukt out; ontvangen/geaccepteerd/
deels/afgekeurd in), so a status filter shows only the list it applies to."""

from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from indications.forms import DateInput
from indications.models import Municipality
from providers.models import Provider

from .codes import MessageType
from .models import IncomingMessage, OutgoingMessage
from .selectors import IN, OUT

STATUS_CHOICES = [
    (_("Verzonden"), [(f"{OUT}:{value}", label) for value, label in OutgoingMessage.Status.choices]),
    (_("Ontvangen"), [(f"{IN}:{value}", label) for value, label in IncomingMessage.Status.choices]),
]


class TrafficFilterForm(forms.Form):
    dag = forms.DateField(label=_("Dag"), required=False, widget=DateInput())
    soort = forms.ChoiceField(
        label=_("Berichtsoort"), required=False, choices=[("", _("alle berichtsoorten")), *MessageType.choices]
    )
    richting = forms.ChoiceField(
        label=_("Richting"),
        required=False,
        choices=[("", _("verzonden en ontvangen")), (OUT, _("verzonden")), (IN, _("ontvangen"))],
    )
    aanbieder = forms.ModelChoiceField(
        label=_("Aanbieder"),
        queryset=Provider.objects.order_by("name"),
        required=False,
        to_field_name="uuid",
        empty_label=_("alle aanbieders"),
    )
    gemeente = forms.ModelChoiceField(
        label=_("Gemeente"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        to_field_name="code",
        empty_label=_("alle gemeenten"),
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("alle statussen")), *STATUS_CHOICES])

    def directions(self) -> tuple[str, ...]:
        """The lists the filter leaves: a status or a direction picks one."""
        status, direction = self.cleaned_data.get("status"), self.cleaned_data.get("richting")
        if status:
            status_direction = status.split(":", 1)[0]
            return (status_direction,) if direction in ("", status_direction) else ()
        return (direction,) if direction else (OUT, IN)

    def apply(self, messages, direction: str):
        """The filtered messages of one direction."""
        data = self.cleaned_data
        if data.get("soort"):
            messages = messages.filter(message_type=data["soort"])
        if data.get("aanbieder"):
            messages = messages.filter(provider=data["aanbieder"])
        messages = by_municipality(messages, data.get("gemeente"))
        if data.get("status"):
            status_direction, status = data["status"].split(":", 1)
            messages = messages.filter(status=status) if status_direction == direction else messages.none()
        return messages


def by_municipality(messages, municipality: Municipality | None):
    """The messages of one municipality (its own sent and received), or all."""
    return messages.filter(municipality=municipality) if municipality is not None else messages


class PeriodForm(forms.Form):
    """A period of at most a year (default the last 30 days up to today), and a municipality."""

    DEFAULT_DAYS = 30
    MAX_DAYS = 366

    van = forms.DateField(label=_("Van"), required=False, widget=DateInput())
    tot = forms.DateField(label=_("Tot en met"), required=False, widget=DateInput())
    gemeente = forms.ModelChoiceField(
        label=_("Gemeente"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        to_field_name="code",
        empty_label=_("alle gemeenten"),
    )

    def __init__(self, *args, today, **kwargs):
        kwargs.setdefault("initial", {"van": today - timedelta(days=self.DEFAULT_DAYS - 1), "tot": today})
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        data = super().clean()
        first, last = data.get("van"), data.get("tot")
        if first and last and first > last:
            self.add_error("tot", _("De einddatum ligt voor de begindatum."))
        elif first and last and (last - first).days >= self.MAX_DAYS:
            self.add_error("van", _("Kies een periode van hoogstens een jaar."))
        return data

    def period(self):
        """The chosen period, or the default when none (or an invalid one) is chosen."""
        last = self.today
        first = None
        if self.is_bound and self.is_valid():
            last = self.cleaned_data.get("tot") or last
            first = self.cleaned_data.get("van")
        return first or last - timedelta(days=self.DEFAULT_DAYS - 1), last

    def municipality(self) -> Municipality | None:
        return self.cleaned_data.get("gemeente") if self.is_bound and self.is_valid() else None


class RetourHandledForm(forms.Form):
    """Mark a rejected message's retour handled (iwmo.retour_handling): what was done about it."""

    note = forms.CharField(
        label=_("Wat is er gedaan?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld: cliëntgegevens verbeterd en een nieuwe toewijzing verstuurd."),
        error_messages={"required": _("Schrijf op wat er is gedaan.")},
    )
