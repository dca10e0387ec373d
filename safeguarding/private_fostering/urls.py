from django.urls import path

from . import views
from .register import REGISTER

app_name = "private_fostering"
urlpatterns = [
    path("new/", views.notification_create, name="create"),
    path("visits/", views.worklist, name="worklist"),
    path("<int:pk>/", views.notification_detail, name="detail"),
    path("<int:pk>/edit/", views.notification_edit, name="edit"),
    path("<int:pk>/arrangement/", views.arrangement_edit, name="arrangement"),
    path("<int:pk>/assessment/", views.assessment_edit, name="assessment"),
    path("<int:pk>/visits/new/", views.visit_create, name="visit_create"),
    *REGISTER.urls(),
]
