from django.contrib import admin

from .models import Provider, ReferenceGroup


@admin.register(ReferenceGroup)
class ReferenceGroupAdmin(admin.ModelAdmin):
    list_display = ["number", "name"]


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "agb_code", "reference_group", "is_active"]
    list_filter = ["reference_group", "is_active"]
    search_fields = ["name", "agb_code"]
