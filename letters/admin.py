"""Beheer of the letters: the municipality's letterhead, and the letter templates as versioned data
(an edit is saved as a new version through letters.services.save_template_version; a version that
letters used never changes), each with a PDF preview on sample values."""

from django import forms
from django.contrib import admin, messages
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


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
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
        try:
            new = services.save_template_version(
                obj.kind, municipality=obj.municipality, subject=obj.subject, body=obj.body, by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return
        obj.pk = new.pk

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "kind":
            return forms.ChoiceField(choices=kinds.choices(), label=db_field.verbose_name)
        return super().formfield_for_dbfield(db_field, request, **kwargs)
