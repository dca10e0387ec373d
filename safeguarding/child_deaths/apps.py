from django.apps import AppConfig


class ChildDeathsConfig(AppConfig):
    name = "safeguarding.child_deaths"
    label = "child_deaths"
    verbose_name = "Child death reviews"

    def ready(self) -> None:
        from safeguarding.core.permissions import register_module
        from safeguarding.core.registers import Register, register

        from . import reports, views
        from .imports import ChildDeathImport

        register_module(
            "child_deaths",
            "Child death reviews",
            records_url="child_deaths:list",
            figures_url="child_deaths:report",
        )
        register(
            Register(
                slug="child-deaths",
                label="Child death reviews",
                module="child_deaths",
                import_schema=ChildDeathImport,
                year_report=reports.year_report,
                report_template="child_deaths/report_body.html",
                report_context=views.report_context,
            )
        )
