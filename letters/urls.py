from django.urls import path

from . import views

app_name = "letters"

urlpatterns = [
    path("<uuid:letter_uuid>/pdf/", views.letter_pdf, name="letter_pdf"),
    path("verslag/<uuid:intake_uuid>/versturen/", views.send_verslag, name="send_verslag"),
    path("sjablonen/", views.template_list, name="templates"),
    path("sjablonen/gemeenten/<str:municipality_code>/briefhoofd/", views.letterhead_edit, name="letterhead_edit"),
    path("sjablonen/<slug:kind_code>/<str:municipality_code>/", views.template_edit, name="template_edit"),
    path(
        "sjablonen/<slug:kind_code>/<str:municipality_code>/voorbeeld.pdf",
        views.template_preview_pdf,
        name="template_preview_pdf",
    ),
    path(
        "sjablonen/<slug:kind_code>/<str:municipality_code>/versies/<int:version>/terugzetten/",
        views.template_restore,
        name="template_restore",
    ),
]
