from django.urls import path

from . import views

app_name = "objections"
urlpatterns = [
    path("", views.bezwaar_list, name="list"),
    path("nieuw/<uuid:indication_uuid>/", views.bezwaar_register, name="register"),
    path("<uuid:bezwaar_uuid>/", views.bezwaar_detail, name="detail"),
    path("<uuid:bezwaar_uuid>/procedure/", views.bezwaar_procedure, name="procedure"),
    path("<uuid:bezwaar_uuid>/verdagen/", views.bezwaar_extend, name="extend"),
    path("<uuid:bezwaar_uuid>/instemming/", views.bezwaar_consent, name="consent"),
    path("<uuid:bezwaar_uuid>/ingebrekestelling/", views.bezwaar_ingebrekestelling, name="ingebrekestelling"),
    path("<uuid:bezwaar_uuid>/beslissen/", views.bezwaar_decide, name="decide"),
]
