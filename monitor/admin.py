from django.contrib import admin

from .models import DurationAmbition, Population


@admin.register(Population)
class PopulationAdmin(admin.ModelAdmin):
    list_display = ["municipality", "year", "inhabitants"]
    list_filter = ["year", "municipality"]


@admin.register(DurationAmbition)
class DurationAmbitionAdmin(admin.ModelAdmin):
    list_display = ["product", "weeks"]
