"""drf-spectacular: describe the provider key authentication in the OpenAPI schema."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ProviderTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ProviderTokenAuthentication"
    name = "aanbiederSleutel"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "De API-sleutel van uw organisatie, uitgegeven door de functioneel beheerder.",
        }
