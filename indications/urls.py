from django.urls import path

from . import (
    eigen_bijdrage_views,
    emergency_views,
    intake_views,
    pgb_views,
    privacy_views,
    quality_views,
    retention_views,
    review_views,
    views,
)

app_name = "indications"

urlpatterns = [
    path("", views.home, name="home"),
    path("werkvoorraad/", views.worklist, name="worklist"),
    path("beoordelingen/", review_views.review_queue, name="review_queue"),
    path("beoordelingen/cijfers/", review_views.review_figures, name="review_figures"),
    path("pgb/svb/", pgb_views.svb_export, name="svb_export"),
    path("kwaliteit/", quality_views.quality_checks, name="quality_checks"),
    path("bewaartermijn/", retention_views.destruction_proposals, name="destruction_proposals"),
    path("bewaartermijn/<uuid:proposal_uuid>/", retention_views.destruction_proposal, name="destruction_proposal"),
    path(
        "bewaartermijn/<uuid:proposal_uuid>/uitvoeren/",
        retention_views.destruction_execute,
        name="destruction_execute",
    ),
    path("kwaliteit/overzicht/", quality_views.quality_overview, name="quality_overview"),
    path("kwaliteit/controles/<uuid:check_uuid>/", quality_views.quality_check, name="quality_check"),
    path("clienten/<uuid:client_uuid>/inzagelog/", privacy_views.client_access_log, name="client_access_log"),
    path("clienten/<uuid:client_uuid>/avg-export/", privacy_views.client_inzage_export, name="client_inzage_export"),
    path("eigen-bijdrage/cak/", eigen_bijdrage_views.cak_export, name="cak_export"),
    path("clienten/", views.client_search, name="client_search"),
    path("clienten/nieuw/", views.client_create, name="client_create"),
    path("clienten/noodtoegang/", emergency_views.emergency_access_request, name="emergency_access_request"),
    path(
        "noodtoegang/<uuid:access_uuid>/beeindigen/", emergency_views.emergency_access_end, name="emergency_access_end"
    ),
    path("noodtoegang/<uuid:access_uuid>/", emergency_views.emergency_access_detail, name="emergency_access_detail"),
    path("clienten/<uuid:client_uuid>/", views.client_file, name="client_file"),
    path("clienten/<uuid:client_uuid>/wijzigen/", views.client_update, name="client_update"),
    path("clienten/<uuid:client_uuid>/melding/", views.melding_create, name="melding_create"),
    path("onderzoeken/<uuid:intake_uuid>/", intake_views.intake, name="intake"),
    path(
        "onderzoeken/<uuid:intake_uuid>/mantelzorgers/<uuid:mantelzorger_uuid>/",
        intake_views.mantelzorger_update,
        name="mantelzorger_update",
    ),
    path("onderzoeken/<uuid:intake_uuid>/aanvraag/", intake_views.aanvraag_create, name="aanvraag_create"),
    path("aanvragen/<uuid:aanvraag_uuid>/indicatie/", views.indication_create, name="indication_create"),
    path("aanvragen/<uuid:aanvraag_uuid>/afwijzen/", views.aanvraag_refuse, name="aanvraag_refuse"),
    path("indicaties/<uuid:indication_uuid>/", views.indication_detail, name="indication_detail"),
    path("indicaties/<uuid:indication_uuid>/afwijzen/", views.indication_refuse, name="indication_refuse"),
    path("indicaties/<uuid:indication_uuid>/wijzigen/", views.indication_update, name="indication_update"),
    path("indicaties/<uuid:indication_uuid>/vaststellen/", views.indication_issue, name="indication_issue"),
    path("indicaties/<uuid:indication_uuid>/beeindigen/", views.indication_end, name="indication_end"),
    path("indicaties/<uuid:indication_uuid>/intrekken/", views.indication_withdraw, name="indication_withdraw"),
    path("indicaties/<uuid:indication_uuid>/evaluatie/", views.evaluation_create, name="evaluation_create"),
    path(
        "indicaties/<uuid:indication_uuid>/ter-beoordeling/",
        review_views.indication_submit_for_review,
        name="indication_submit_for_review",
    ),
    path("indicaties/<uuid:indication_uuid>/beoordelen/", review_views.indication_review, name="indication_review"),
    path(
        "indicaties/<uuid:indication_uuid>/vraag/",
        review_views.indication_review_question,
        name="indication_review_question",
    ),
    path(
        "indicaties/<uuid:indication_uuid>/vraag/<int:question_pk>/antwoord/",
        review_views.indication_review_answer,
        name="indication_review_answer",
    ),
    path("indicaties/<uuid:indication_uuid>/heropenen/", review_views.indication_reopen, name="indication_reopen"),
]
