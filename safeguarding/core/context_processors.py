from django.conf import settings

from . import permissions


def partnership(request):
    user = getattr(request, "user", None)
    modules = permissions.modules_for(user) if user is not None else []
    section = "/" + request.path.strip("/").split("/")[0] + "/"
    for m in modules:
        m["active"] = section != "//" and m["url"].startswith(section)
    return {
        "partnership_name": settings.PARTNERSHIP_NAME,
        "my_modules": modules,
        "manages_a_module": any(m["role"] == "manager" for m in modules),
    }
