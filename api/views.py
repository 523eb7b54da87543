from rest_framework import viewsets

from indications.models import Product

from .serializers import ProductSerializer


class ProductViewSet(viewsets.ReadOnlyModelViewSet):
    """The IB products with their tariffs per validity period (reference data)."""

    queryset = Product.objects.prefetch_related("tariffs").order_by("level")
    serializer_class = ProductSerializer
    lookup_field = "code"
    pagination_class = None
