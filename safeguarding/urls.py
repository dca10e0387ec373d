from django.urls import include, path

urlpatterns = [
    path("", include("safeguarding.core.urls")),
    path("lado/", include("safeguarding.lado.urls")),
]
