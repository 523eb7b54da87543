from rest_framework import serializers

from indications.models import Product, Tariff


class TariffSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tariff
        fields = ["valid_from", "valid_to", "amount_per_period", "opslag_per_period"]


class ProductSerializer(serializers.ModelSerializer):
    # Declared explicitly: the model fields' ranges differ per database and the schema must not.
    level = serializers.IntegerField(read_only=True)
    max_duration_weeks = serializers.IntegerField(read_only=True, allow_null=True)
    tariffs = TariffSerializer(many=True, read_only=True)

    class Meta:
        model = Product
        fields = [
            "code",
            "name",
            "iwmo_category",
            "iwmo_code",
            "level",
            "requires_end_date",
            "max_duration_weeks",
            "allows_opslag",
            "tariffs",
        ]
