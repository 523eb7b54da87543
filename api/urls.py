from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from .declaraties import DeclaratieViewSet
from .incidents import IncidentViewSet
from .views import AssignmentViewSet, BatchViewSet, ChangeRequestViewSet, ProductViewSet, SlaView

app_name = "api"

router = DefaultRouter()
router.register("producten", ProductViewSet, basename="product")
router.register("toewijzingen", AssignmentViewSet, basename="toewijzing")
router.register("wijzigingsverzoeken", ChangeRequestViewSet, basename="wijzigingsverzoek")
router.register("berichten", BatchViewSet, basename="berichten")
router.register("declaraties", DeclaratieViewSet, basename="declaratie")
router.register("calamiteiten", IncidentViewSet, basename="calamiteit")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("sla/", SlaView.as_view(), name="sla"),
    *router.urls,
]
