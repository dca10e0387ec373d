from django.apps import AppConfig


class MissingConfig(AppConfig):
    name = "safeguarding.missing"
    label = "missing"
    verbose_name = "Missing, exploited and trafficked children"

    def ready(self) -> None:
        from safeguarding.core.permissions import register_module
        from safeguarding.core.registers import Register, register

        from . import reports, views
        from .imports import MissingEpisodesImport

        register_module(
            "missing",
            "Missing, exploited and trafficked children",
            records_url="missing:list",
            figures_url="missing:report",
        )
        register(
            Register(
                slug="missing-episodes",
                label="Missing episodes",
                module="missing",
                import_schema=MissingEpisodesImport,
                year_report=reports.year_report,
                report_template="missing/report_body.html",
                report_context=views.report_context,
            )
        )
