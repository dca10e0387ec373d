from django.urls import path

from . import views
from .register import REGISTER

app_name = "children"
urlpatterns = [
    path("new/", views.child_create, name="create"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("<int:pk>/", views.child_detail, name="detail"),
    path("<int:pk>/edit/", views.child_edit, name="edit"),
    path("<int:pk>/merge/", views.merge, name="merge"),
    *REGISTER.urls(),
]
