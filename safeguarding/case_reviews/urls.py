from django.urls import include, path

from . import views
from .register import REGISTER

app_name = "case_reviews"

referral = [
    path("", views.referral_detail, name="detail"),
    path("edit/", views.referral_edit, name="edit"),
    path("panel/", views.panel_edit, name="panel"),
    path("review/", views.review_edit, name="review"),
    path("children/new/", views.child_add, name="child_add"),
    path("chronologies/new/", views.chronology_request, name="chronology_request"),
    path("actions/new/", views.action_add, name="action_add"),
]
configuration = [
    path("", views.review_types, name="settings"),
    path("review-types/new/", views.review_type_edit, name="review_type_create"),
    path("review-types/<int:pk>/", views.review_type_edit, name="review_type_edit"),
    path("themes/new/", views.theme_edit, name="theme_create"),
    path("themes/<int:pk>/", views.theme_edit, name="theme_edit"),
]
urlpatterns = [
    path("new/", views.referral_create, name="create"),
    path("worklist/", views.worklist, name="worklist"),
    path("chronologies/", views.chronology_list, name="chronologies"),
    path("chronologies/<int:pk>/returned/", views.chronology_return, name="chronology_return"),
    path("<int:pk>/", include(referral)),
    path("settings/", include(configuration)),
    *REGISTER.urls(),
]
