from django.contrib.auth.middleware import LoginRequiredMiddleware


class PagesLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Every page requires a login; the API under /api/ answers with its own 401/403 instead of a
    redirect to the login page (DRF's authentication and permission classes guard it)."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class NoServerBannerMiddleware:
    """No `Server` header from the application: it only tells an attacker what to try. (The web server
    in front sets its own; docs/parts/harden19.md says how to quiet nginx and gunicorn.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Server" in response:
            del response["Server"]
        return response
