from django.urls import include, path

from . import views
from .register import PERFORMANCE, VALUES

app_name = "performance"

indicator = [
    path("", views.indicator_detail, name="indicator"),
    path("edit/", views.indicator_edit, name="indicator_edit"),
    path("chart.svg", views.indicator_chart, name="indicator_chart"),
    path("benchmarks/", views.benchmark_edit, name="benchmark_edit"),
]
data_return = [
    path("", views.return_detail, name="return"),
    path("submit/", views.return_submit, name="return_submit"),
    path("approve/", views.return_approve, name="return_approve"),
    path("send-back/", views.return_send_back, name="return_send_back"),
    path("template.xlsx", views.return_template, name="return_template"),
    path("upload/", views.return_upload, name="return_upload"),
]
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("exceptions/", views.exceptions, name="exceptions"),
    path("board-pack.xlsx", views.dashboard_xlsx, name="dashboard_xlsx"),
    path("board-pack.pdf", views.dashboard_pdf, name="dashboard_pdf"),
    path("indicators/", views.indicator_catalogue, name="indicators"),
    path("indicators/new/", views.indicator_edit, name="indicator_create"),
    path("indicators/<int:pk>/", include(indicator)),
    path("returns/", views.return_list, name="returns"),
    path("returns/open/", views.returns_open, name="returns_open"),
    path("returns/chase/", views.returns_chase, name="returns_chase"),
    path("returns/<int:pk>/", include(data_return)),
    *PERFORMANCE.urls(),  # none: reported by period, on the module's own dashboard
    *VALUES.urls(),  # import/ (performance:import) and its progress page
]
