"""The project's URLs plus the example register's generic pages under /example/."""

from django.urls import include, path

from safeguarding.urls import urlpatterns as project

from .register import REGISTER

urlpatterns = [*project, path("example/", include((REGISTER.urls(), "example")))]
