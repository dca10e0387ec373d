from django.urls import path

from . import views

app_name = "actions"
urlpatterns = [
    path("", views.action_list, name="list"),
    path("mine/", views.my_actions, name="mine"),
    path("figures/", views.figures, name="figures"),
    path("<int:pk>/", views.action_detail, name="detail"),
    path("<int:pk>/progress/", views.action_progress, name="progress"),
    path("<int:pk>/close/", views.action_close, name="close"),
    path("<int:pk>/edit/", views.action_edit, name="edit"),
    path("plan/<int:type_id>/<str:source_id>/", views.action_plan, name="plan"),
    path("plan/<int:type_id>/<str:source_id>/actions.csv", views.action_plan_csv, name="plan_csv"),
]
