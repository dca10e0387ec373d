from django.conf import settings

from . import permissions


def partnership(request):
    user = getattr(request, "user", None)
    return {
        "partnership_name": settings.PARTNERSHIP_NAME,
        "my_modules": permissions.modules_for(user) if user is not None else [],
    }
