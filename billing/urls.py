"""The declaratie pages for contract management (reconciliation, payment runs)."""

from django.urls import path

from . import payment_views, views

app_name = "billing"

urlpatterns = [
    path("betaalrondes/", payment_views.batch_list, name="payment_batches"),
    path("betaalrondes/<uuid:batch_uuid>/", payment_views.batch_detail, name="payment_batch"),
    path("betaalrondes/<uuid:batch_uuid>/exporteren/", payment_views.batch_export, name="payment_batch_export"),
    path("betaalrondes/<uuid:batch_uuid>/annuleren/", payment_views.batch_cancel, name="payment_batch_cancel"),
    path("betaalrondes/<uuid:batch_uuid>/bestand/<str:kind>/", payment_views.batch_download, name="payment_file"),
    path(
        "betaalrondes/<uuid:batch_uuid>/bestand/<str:kind>/<uuid:provider_uuid>/",
        payment_views.batch_download,
        name="payment_provider_file",
    ),
    path("", views.overview, name="overview"),
    path("<uuid:provider_uuid>/<int:year>/<int:month>/", views.month, name="month"),
]
