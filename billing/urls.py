"""The declaratie pages for contract management (reconciliation, payment runs)."""

from django.urls import path

from . import views

app_name = "billing"

urlpatterns: list = [
    path("", views.overview, name="overview"),
    path("<uuid:provider_uuid>/<int:year>/<int:month>/", views.month, name="month"),
]
