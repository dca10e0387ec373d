from django.urls import path

from . import views

app_name = "lado"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("search/clear/", views.search_clear, name="search_clear"),
    path("new/", views.case_create, name="create"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/edit/", views.case_edit, name="edit"),
    path("<int:pk>/outcome/", views.outcome_edit, name="outcome"),
    path("<int:pk>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("meeting-types/", views.meeting_types, name="meeting_types"),
    path("meeting-types/new/", views.meeting_type_edit, name="meeting_type_create"),
    path("meeting-types/<int:pk>/", views.meeting_type_edit, name="meeting_type_edit"),
    path("import/", views.case_import, name="import"),
    path("report/", views.report, name="report"),
    path("report/<str:year>/outcomes.svg", views.report_chart, name="report_chart"),
    path("report/<str:year>.<str:fmt>", views.report_download, name="report_download"),
]
