"""Form helpers shared by every app's forms and the admin.

One way to render a form: every form and field of the application goes through the same two
templates, so error summaries, error ids and aria-describedby agree everywhere. And Dutch where
Django writes English (the empty choice of a select)."""

from django import forms
from django.forms.renderers import TemplatesSetting
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
            formfield.choices = [
                (value, label if value == "" and text == DJANGO_EMPTY_LABEL else text) for value, text in choices
            ]
    return formfield


class DutchEmptyLabelsMixin:
    """For a form: every select starts with "Kies een <label>" instead of "---------"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            dutch_empty_label(field, field.label or "")


class FormRenderer(TemplatesSetting):
    """`{{ form }}` renders includes/form.html (error summary, then each field); a field's
    `as_field_group` renders includes/field.html, the template the pages include per field."""

    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"
