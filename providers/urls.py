from django.urls import path

from . import views

app_name = "providers"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("sla/", views.sla, name="sla"),
    path("beschikkingen/<uuid:indication_uuid>/aanbieder/", views.change_provider, name="change_provider"),
    path(
        "wijzigingsverzoeken/<uuid:request_uuid>/antwoord/", views.answer_change_request, name="answer_change_request"
    ),
]
