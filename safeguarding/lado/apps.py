from django.apps import AppConfig


class LadoConfig(AppConfig):
    name = "safeguarding.lado"
    label = "lado"
    verbose_name = "LADO allegations"

    def ready(self) -> None:
        from safeguarding.core.permissions import register_module
        from safeguarding.core.registers import Register, register

        from . import reports, views
        from .imports import LadoImport

        register_module(
            "lado", "LADO allegations", records_url="lado:list", figures_url="lado:report"
        )
        register(
            Register(
                slug="lado",
                label="LADO allegations",
                module="lado",
                import_schema=LadoImport,
                year_report=reports.year_report,
                report_template="lado/report_body.html",
                report_context=views.report_context,
            )
        )
