from django.urls import include, path

from . import views
from .register import REGISTER

app_name = "child_deaths"

death = [
    path("", views.death_detail, name="detail"),
    path("edit/", views.death_edit, name="edit"),
    path("joint-agency-response/", views.jar_edit, name="jar"),
    path("review-meeting/", views.review_meeting_edit, name="review_meeting"),
    path("review/", views.review_edit, name="review"),
    path("recommendations/new/", views.recommendation_create, name="recommendation"),
    path("forms/request/", views.form_request_create, name="form_request"),
]
agency_forms = [
    path("", views.form_list, name="forms"),
    path("chase/", views.forms_chase, name="forms_chase"),
    path("<int:pk>/", views.form_detail, name="form_detail"),
]
urlpatterns = [
    path("new/", views.death_create, name="create"),
    path("<int:pk>/", include(death)),
    path("forms/", include(agency_forms)),
    path("panel/", views.panel, name="panel"),
    *REGISTER.urls(),
]
