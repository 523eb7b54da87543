from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("export/", views.export, name="export"),
    path("beoordeling/", views.log_review, name="log_review"),
]
