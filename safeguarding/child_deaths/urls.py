from django.urls import path

from . import views
from .register import REGISTER

app_name = "child_deaths"
urlpatterns = [
    path("new/", views.death_create, name="create"),
    path("<int:pk>/", views.death_detail, name="detail"),
    path("<int:pk>/edit/", views.death_edit, name="edit"),
    path("<int:pk>/joint-agency-response/", views.jar_edit, name="jar"),
    path("<int:pk>/review/", views.review_edit, name="review"),
    path("<int:pk>/recommendations/new/", views.recommendation_create, name="recommendation"),
    path("<int:pk>/forms/request/", views.form_request_create, name="form_request"),
    path("forms/", views.form_list, name="forms"),
    path("forms/chase/", views.forms_chase, name="forms_chase"),
    path("forms/<int:pk>/", views.form_detail, name="form_detail"),
    path("panel/", views.panel, name="panel"),
    *REGISTER.urls(),
]
