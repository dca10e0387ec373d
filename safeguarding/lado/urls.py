from django.urls import path

from . import views
from .register import REGISTER

app_name = "lado"
urlpatterns = [
    path("new/", views.case_create, name="create"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/edit/", views.case_edit, name="edit"),
    path("<int:pk>/outcome/", views.outcome_edit, name="outcome"),
    path("<int:pk>/decision/", views.decision_edit, name="decision"),
    path("<int:pk>/notes/new/", views.note_create, name="note_create"),
    path("<int:pk>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("meeting-types/", views.meeting_types, name="meeting_types"),
    path("meeting-types/new/", views.meeting_type_edit, name="meeting_type_create"),
    path("meeting-types/<int:pk>/", views.meeting_type_edit, name="meeting_type_edit"),
    *REGISTER.urls(),
]
