from django.urls import path

from . import views
from .register import REGISTER

app_name = "case_reviews"
urlpatterns = [
    path("new/", views.referral_create, name="create"),
    path("worklist/", views.worklist, name="worklist"),
    path("chronologies/", views.chronology_list, name="chronologies"),
    path("chronologies/<int:pk>/returned/", views.chronology_return, name="chronology_return"),
    path("<int:pk>/", views.referral_detail, name="detail"),
    path("<int:pk>/edit/", views.referral_edit, name="edit"),
    path("<int:pk>/panel/", views.panel_edit, name="panel"),
    path("<int:pk>/review/", views.review_edit, name="review"),
    path("<int:pk>/children/new/", views.child_add, name="child_add"),
    path("<int:pk>/chronologies/new/", views.chronology_request, name="chronology_request"),
    path("<int:pk>/actions/new/", views.action_add, name="action_add"),
    path("settings/", views.review_types, name="settings"),
    path("settings/review-types/new/", views.review_type_edit, name="review_type_create"),
    path("settings/review-types/<int:pk>/", views.review_type_edit, name="review_type_edit"),
    path("settings/themes/new/", views.theme_edit, name="theme_create"),
    path("settings/themes/<int:pk>/", views.theme_edit, name="theme_edit"),
    *REGISTER.urls(),
]
