"""Every page answers with the security headers (a Content-Security-Policy without inline script,
X-Frame-Options DENY, Referrer-Policy, Cross-Origin-Opener-Policy) and no Server banner; in production
mode the cookies are Secure and HSTS is sent. The templates hold no inline script, event handler or
style, so the policy can stay strict."""

import re
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.roles import CONSULENT
from sddcase.middleware import NoServerBannerMiddleware
from tests.factories import staff_member

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


def test_a_page_has_the_security_headers_and_no_server_banner(client):
    response = client.get("/inloggen/")
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"] and policy["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Server" not in response


def test_a_logged_in_page_has_them_too(client, consultant):
    client.force_login(consultant)
    response = client.get("/")
    response = client.get(response["Location"]) if response.status_code == 302 else response
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_the_middleware_removes_a_server_header():
    def app(_request):
        response = HttpResponse("ok")
        response["Server"] = "WSGIServer/0.2 CPython/3.11"
        return response

    response = NoServerBannerMiddleware(app)(RequestFactory().get("/"))
    assert "Server" not in response and response.content == b"ok"


def log_in(client, **extra):
    staff_member(CONSULENT, username="koekje", password="Juist-wachtwoord-2026")
    return client.post("/inloggen/", {"username": "koekje", "password": "Juist-wachtwoord-2026"}, **extra)


def test_the_session_and_csrf_cookies_are_httponly_and_samesite(client):
    csrf = client.get("/inloggen/").cookies["csrftoken"]
    assert csrf["httponly"] and csrf["samesite"] == "Lax"
    response = log_in(client)
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["httponly"] and session["samesite"] == "Lax"
    assert not session["secure"]  # not in production mode: `make run` serves plain http


def test_in_production_mode_https_hsts_and_secure_cookies(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SESSION_COOKIE_SECURE = True
    assert client.get("/inloggen/").status_code == 301  # plain http goes to https
    response = client.get("/inloggen/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response.cookies["csrftoken"]["secure"]
    assert log_in(client, secure=True).cookies["sessionid"]["secure"]


def test_behind_a_tls_proxy_the_forwarded_scheme_counts_only_when_configured(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client.get("/inloggen/", HTTP_X_FORWARDED_PROTO="https").status_code == 200
    assert client.get("/inloggen/", HTTP_X_FORWARDED_PROTO="http").status_code == 301
    settings.SECURE_PROXY_SSL_HEADER = None
    assert client.get("/inloggen/", HTTP_X_FORWARDED_PROTO="https").status_code == 301


def test_the_api_documentation_has_no_inline_script(client, consultant):
    client.force_login(consultant)
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) and "<style" not in html
    script = re.search(r'<script src="([^"]*\?script=[^"]*)"', html).group(1).replace("&amp;", "&")
    started = client.get(script)
    assert started.status_code == 200 and "SwaggerUIBundle" in started.content.decode()


def template_files():
    return sorted(path for path in TEMPLATES.rglob("*.html") if path.parts[-2:] != ("letters", "letter.html"))


def test_no_template_has_inline_script_event_handlers_or_styles():
    """The letter (letters/letter.html) is no page: WeasyPrint renders it to the PDF, with its styles."""
    found = []
    for path in template_files():
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", "", text, flags=re.S)
        for pattern in (
            r"<script(?![^>]*\bsrc=)[^>]*>",
            r"\son[a-z]+\s*=",
            r"\sstyle\s*=",
            r"<style\b",
            r"javascript:",
        ):
            found += [f"{path.relative_to(ROOT)}: {match}" for match in re.findall(pattern, text, flags=re.I)]
    assert found == []
    assert len(template_files()) > 50  # the scan saw the templates
