"""Beheer of the letters: the municipality's letterhead, and the letter templates as versioned data
(an edit is saved as a new version through letters.services.save_template_version; a version that
letters used never changes), each with a PDF preview on sample values."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import kinds, rendering, services
from .models import LetterTemplate, MunicipalityLetterhead


@admin.register(MunicipalityLetterhead)
class MunicipalityLetterheadAdmin(admin.ModelAdmin):
    list_display = ("sender", "municipality", "place", "signatory_name")


class LetterTemplateForm(forms.ModelForm):
    """The texts must render with the restricted engine (tried on sample values) and use only the
    kind's placeholders: the same check as the template pages (services.template_text_errors)."""

    class Meta:
        model = LetterTemplate
        fields = ("kind", "municipality", "subject", "body")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:  # a new template: one of the registered kinds
            self.fields["kind"] = forms.ChoiceField(label=_("soort brief"), choices=kinds.choices)

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind") or self.instance.kind
        if kind and "subject" in cleaned and "body" in cleaned:
            errors = services.template_text_errors(kind, subject=cleaned["subject"], body=cleaned["body"])
            for field, message in errors.items():
                self.add_error(field, ValidationError(message))
        return cleaned


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    form = LetterTemplateForm
    list_display = ("kind", "municipality", "version", "subject", "created_at", "preview")
    list_filter = ("kind", "municipality")
    fields = ("kind", "municipality", "subject", "body")

    def get_readonly_fields(self, request, obj=None):
        return ("kind", "municipality") if obj else ()

    @admin.display(description=_("voorbeeld"))
    def preview(self, obj):
        return format_html('<a href="{}">PDF</a>', reverse("admin:letters_lettertemplate_preview", args=[obj.pk]))

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_pdf)
        return [path("<int:pk>/voorbeeld/", preview, name="letters_lettertemplate_preview"), *super().get_urls()]

    def preview_pdf(self, request, pk):
        template = get_object_or_404(LetterTemplate, pk=pk)
        content = services.preview_content(template)
        return HttpResponse(rendering.render_pdf(content), content_type="application/pdf")

    def save_model(self, request, obj, form, change):
        """Every save is a new version; the edited one stays as the letters sent with it."""
        new = services.save_template_version(
            obj.kind, municipality=obj.municipality, subject=obj.subject, body=obj.body, by=request.user
        )
        obj.pk, obj.version = new.pk, new.version
