from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("inloggen/tweede-factor/", views.second_factor_verify, name="second_factor"),
    path("inloggen/tweede-factor/instellen/", views.second_factor_setup, name="second_factor_setup"),
    path("inloggen/tweede-factor/herstelcodes/", views.backup_codes, name="backup_codes"),
    path("medewerkers/tweede-factor/herstelcodes/", views.renew_backup_codes, name="renew_backup_codes"),
    path("medewerkers/tweede-factor/", views.second_factor_overview, name="second_factor_overview"),
    path("medewerkers/<int:user_id>/tweede-factor-herstellen/", views.second_factor_reset, name="second_factor_reset"),
]
