import os
import re

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sddcase.settings")

# A control character in the Content-Type header (e.g. "charset=\x00") makes Django's WSGIRequest
# raise a ValueError in codecs.lookup while it builds the request, before any middleware can answer:
# a 500. The header is replaced by a media type no parser accepts, so the request reaches the
# middleware and views and is refused there as any unsupported body is (415 in the API, audited).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
UNUSABLE_CONTENT_TYPE = "application/x-ongeldig"


def without_control_characters_in_content_type(app):
    def wrapped(environ, start_response):
        if _CONTROL.search(environ.get("CONTENT_TYPE", "")):
            environ = {**environ, "CONTENT_TYPE": UNUSABLE_CONTENT_TYPE}
        return app(environ, start_response)

    return wrapped


application = without_control_characters_in_content_type(get_wsgi_application())
