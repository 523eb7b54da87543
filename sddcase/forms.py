"""One way to render a form: every form and field of the application goes through the same two
templates, so error summaries, error ids and aria-describedby agree everywhere."""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """`{{ form }}` renders includes/form.html (error summary, then each field); a field's
    `as_field_group` renders includes/field.html, the template the pages include per field."""

    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"
