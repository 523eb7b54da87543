from django.urls import path

from . import views

app_name = "incidents"

urlpatterns = [
    path("", views.incident_list, name="list"),
    path("telefonisch-melden/", views.register_by_phone, name="register"),
    path("<uuid:incident_uuid>/", views.incident_detail, name="detail"),
    path("<uuid:incident_uuid>/ggd-melding/", views.record_ggd_report, name="ggd_report"),
    path("<uuid:incident_uuid>/afsluiten/", views.close, name="close"),
]
