from django.apps import AppConfig


class PrivateFosteringConfig(AppConfig):
    name = "safeguarding.private_fostering"
    label = "private_fostering"
    verbose_name = "Private fostering"

    def ready(self) -> None:
        from safeguarding.core.permissions import register_module
        from safeguarding.core.registers import Register, register

        from . import reports, views
        from .imports import PrivateFosteringImport

        register_module(
            "private_fostering",
            "Private fostering",
            records_url="private_fostering:list",
            figures_url="private_fostering:report",
        )
        register(
            Register(
                slug="private-fostering",
                label="Private fostering",
                module="private_fostering",
                import_schema=PrivateFosteringImport,
                year_report=reports.year_report,
                report_template="private_fostering/report_body.html",
                report_context=views.report_context,
            )
        )
