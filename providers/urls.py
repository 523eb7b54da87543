from django.urls import path

from . import views

app_name = "providers"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("sla/", views.sla, name="sla"),
    path("clienttevredenheid/import/", views.import_satisfaction, name="import_satisfaction"),
    path("<uuid:provider_uuid>/dashboard/", views.dashboard, name="dashboard"),
    path("<uuid:provider_uuid>/jaargesprek/", views.record_annual_review, name="record_annual_review"),
    path("beschikkingen/<uuid:indication_uuid>/aanbieder/", views.change_provider, name="change_provider"),
    path(
        "wijzigingsverzoeken/<uuid:request_uuid>/antwoord/", views.answer_change_request, name="answer_change_request"
    ),
    path("toewijzingsverzoeken/<uuid:request_uuid>/", views.assignment_request, name="assignment_request"),
    path(
        "toewijzingsverzoeken/<uuid:request_uuid>/afwijzen/",
        views.reject_assignment_request,
        name="reject_assignment_request",
    ),
    path("ondersteuningsplannen/<uuid:plan_uuid>/beoordeling/", views.judge_support_plan, name="judge_support_plan"),
    path("ondersteuningsplannen/<uuid:plan_uuid>/pdf/", views.support_plan_pdf, name="support_plan_pdf"),
]
