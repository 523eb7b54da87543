from django.urls import path

from . import views

app_name = "signals"
urlpatterns = [
    path("", views.signal_list, name="list"),
    path("<int:pk>/", views.signal_move, name="move"),
    path("zorgstapeling/", views.stacking_overview, name="stacking_overview"),
    path("zorgstapeling/<uuid:client_uuid>/", views.client_stacking, name="client_stacking"),
]
