from django.urls import path

from . import views

app_name = "letters"

urlpatterns = [
    path("<uuid:letter_uuid>/pdf/", views.letter_pdf, name="letter_pdf"),
    path("verslag/<uuid:intake_uuid>/versturen/", views.send_verslag, name="send_verslag"),
]
