"""Form helpers shared by every app's forms and the admin: Dutch where Django writes English."""

from django import forms
from django.utils.translation import gettext as _

DJANGO_EMPTY_LABEL = "---------"


def dutch_empty_label(formfield, name) -> forms.Field:
    """Replace Django's "---------" (the empty choice of a select) by "Kies een <name>"."""
    name = str(name)
    if name[:1].isupper() and name[1:2].islower():
        name = name[:1].lower() + name[1:]
    label = _("Kies een %(name)s") % {"name": name}
    if isinstance(formfield, forms.ModelChoiceField):
        if formfield.empty_label == DJANGO_EMPTY_LABEL:
            formfield.empty_label = label
    elif isinstance(formfield, forms.ChoiceField):
        choices = list(formfield.choices)
        if any(value == "" and text == DJANGO_EMPTY_LABEL for value, text in choices):
            formfield.choices = [(value, label if value == "" and text == DJANGO_EMPTY_LABEL else text)
                                 for value, text in choices]
    return formfield


class DutchEmptyLabelsMixin:
    """For a form: every select starts with "Kies een <label>" instead of "---------"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            dutch_empty_label(field, field.label or "")
