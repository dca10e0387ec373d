from django.urls import path

from . import views

app_name = "private_fostering"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("search/clear/", views.search_clear, name="search_clear"),
    path("new/", views.notification_create, name="create"),
    path("visits/", views.worklist, name="worklist"),
    path("<int:pk>/", views.notification_detail, name="detail"),
    path("<int:pk>/edit/", views.notification_edit, name="edit"),
    path("<int:pk>/arrangement/", views.arrangement_edit, name="arrangement"),
    path("<int:pk>/assessment/", views.assessment_edit, name="assessment"),
    path("<int:pk>/visits/new/", views.visit_create, name="visit_create"),
    path("import/", views.notification_import, name="import"),
    path("report/", views.report, name="report"),
    path("report/<str:year>/kinds.svg", views.report_chart, name="report_chart"),
    path("report/<str:year>.<str:fmt>", views.report_download, name="report_download"),
]
