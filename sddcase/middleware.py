from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.selectors import needs_second_factor


class PagesLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Every page requires a login with both factors (accounts.views); the API under /api/ answers
    with its own 401/403 instead of a redirect to the login page (DRF's authentication and permission
    classes guard it). Comes after django_otp's OTPMiddleware, which tells whether the session passed
    the second factor.

    A session that passed only the password reaches the second-factor pages, the logout and the pages
    open without a login; every other page (the admin too) redirects to the second factor, and a
    session-authenticated API call is refused. A provider's key-authenticated API call has no session
    user and is not affected."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            if needs_second_factor(request.user):
                return JsonResponse(
                    {
                        "code": "tweede_factor_vereist",
                        "melding": _("Log in met de tweede factor voordat u de API met deze sessie gebruikt."),
                    },
                    status=403,
                )
            return None
        response = super().process_view(request, view_func, view_args, view_kwargs)
        if response is not None or not getattr(view_func, "login_required", True):
            return response
        if getattr(view_func, "second_factor_required", True) and needs_second_factor(request.user):
            return redirect_to_login(request.get_full_path(), reverse("accounts:second_factor"))
        return None


class NoServerBannerMiddleware:
    """No `Server` header from the application: it only tells an attacker what to try. (The web server
    in front sets its own; docs/security.md says how to quiet nginx and gunicorn.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Server" in response:
            del response["Server"]
        return response
