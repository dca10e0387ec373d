"""Response headers every page gets."""

from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    """No page or download of this service is kept by a browser or a proxy: they carry
    personal data, and a shared computer's back button or cache must not show them to the
    next person. Static files (served by WhiteNoise before this runs) are cached as usual."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, no_store=True, no_cache=True, private=True, max_age=0)
        response.headers.setdefault("Pragma", "no-cache")
        return response
