from django.urls import path

from . import views
from .register import REGISTER

app_name = "missing"
urlpatterns = [
    path("new/", views.episode_create, name="create"),
    path("<int:pk>/", views.episode_detail, name="detail"),
    path("<int:pk>/edit/", views.episode_edit, name="edit"),
    path("<int:pk>/interview/", views.interview_edit, name="interview"),
    path("worklist/", views.worklist, name="worklist"),
    path(
        "children/<int:child_pk>/screenings/new/", views.screening_create, name="screening_create"
    ),
    path("met/", views.met_list, name="met_list"),
    path("children/<int:child_pk>/met/add/", views.met_add, name="met_add"),
    path("met/<int:pk>/remove/", views.met_remove, name="met_remove"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/items/<int:pk>/", views.discussion_edit, name="discussion_edit"),
    path("meeting-types/", views.meeting_types, name="meeting_types"),
    path("meeting-types/new/", views.meeting_type_edit, name="meeting_type_create"),
    path("meeting-types/<int:pk>/", views.meeting_type_edit, name="meeting_type_edit"),
    path(
        "report/<str:year>/commentary/<slug:indicator>/",
        views.commentary_edit,
        name="commentary",
    ),
    *REGISTER.urls(),
]
