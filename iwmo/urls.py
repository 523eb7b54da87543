from django.urls import path

from . import views

app_name = "iwmo"

urlpatterns = [
    path("", views.day_overview, name="day"),
    path("aanbieders/<uuid:provider_uuid>/", views.provider_traffic, name="provider"),
    path("clienten/<uuid:client_uuid>/", views.client_traffic, name="client"),
    path("berichten/uit/<uuid:message_uuid>/xml/", views.outgoing_xml, name="outgoing_xml"),
    path("berichten/uit/<uuid:message_uuid>/opnieuw-versturen/", views.resend_outgoing, name="resend_outgoing"),
    path("berichten/uit/<uuid:message_uuid>/retour-afhandelen/", views.handle_retour, name="handle_retour"),
    path("berichten/in/<uuid:message_uuid>/xml/", views.incoming_xml, name="incoming_xml"),
]
