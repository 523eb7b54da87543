"""The declaratie pages for contract management (reconciliation, payment runs)."""

app_name = "billing"

urlpatterns: list = []
