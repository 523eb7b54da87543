from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.views import second_factor_not_required
from api.iwmo import receive_message
from sddcase import health, metrics

urlpatterns = [
    # For load balancers and Prometheus (sddcase/health.py, sddcase/metrics.py): no login, no session.
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
    path("metrics", metrics.metrics, name="metrics"),
    path("inloggen/", auth_views.LoginView.as_view(), name="login"),
    path("uitloggen/", second_factor_not_required(auth_views.LogoutView.as_view()), name="logout"),
    # The second factor of the login, and its reset by a functioneel beheerder (accounts.urls).
    path("", include("accounts.urls")),
    path("beheer/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    # iWmo 3.2 messages from a provider's system (raw XML, the provider's API key): docs/iwmo.md.
    path("iwmo/berichten/", receive_message, name="iwmo-berichten"),
    # The message-traffic pages and the XML downloads (iwmo.views).
    path("iwmo/", include("iwmo.urls")),
    # Declaraties for contract management: reconciliation per provider and month, payment runs.
    path("declaraties/", include("billing.urls")),
    path("aanbieders/", include("providers.urls")),
    path("brieven/", include("letters.urls")),
    path("signalen/", include("signals.urls")),
    # Bezwaar (Awb) against a beschikking: the open list, registering one, one bezwaar with its actions.
    path("bezwaren/", include("objections.urls")),
    # Calamiteiten and geweldsincidenten (art. 3.4 Wmo 2015): list, detail, phone registration.
    path("calamiteiten/", include("incidents.urls")),
    path("monitor/", include("monitor.urls")),
    # The audit trail's NEN 7513 export for the SIEM (audit.views).
    path("audittrail/", include("audit.urls")),
    path("", include("indications.urls")),
]
