from django.urls import path

from . import views
from .register import PERFORMANCE, VALUES

app_name = "performance"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("exceptions/", views.exceptions, name="exceptions"),
    path("board-pack.xlsx", views.dashboard_xlsx, name="dashboard_xlsx"),
    path("board-pack.pdf", views.dashboard_pdf, name="dashboard_pdf"),
    path("indicators/", views.indicator_catalogue, name="indicators"),
    path("indicators/new/", views.indicator_edit, name="indicator_create"),
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/chart.svg", views.indicator_chart, name="indicator_chart"),
    path("indicators/<int:pk>/benchmarks/", views.benchmark_edit, name="benchmark_edit"),
    path("returns/", views.return_list, name="returns"),
    path("returns/open/", views.returns_open, name="returns_open"),
    path("returns/chase/", views.returns_chase, name="returns_chase"),
    path("returns/<int:pk>/", views.return_detail, name="return"),
    path("returns/<int:pk>/submit/", views.return_submit, name="return_submit"),
    path("returns/<int:pk>/approve/", views.return_approve, name="return_approve"),
    path("returns/<int:pk>/send-back/", views.return_send_back, name="return_send_back"),
    path("returns/<int:pk>/template.xlsx", views.return_template, name="return_template"),
    path("returns/<int:pk>/upload/", views.return_upload, name="return_upload"),
    *PERFORMANCE.urls(),  # none: reported by period, on the module's own dashboard
    *VALUES.urls(),  # import/ (performance:import) and its progress page
]
