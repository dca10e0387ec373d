from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "safeguarding.performance"
    label = "performance"
    verbose_name = "Performance framework"

    def ready(self) -> None:
        from safeguarding.core.permissions import register_module
        from safeguarding.core.registers import Register, register

        from . import reports
        from .imports import IndicatorValueImport

        register_module(
            "performance",
            "Performance framework",
            records_url="performance:returns",
            figures_url="performance:dashboard",
        )
        register(
            Register(
                slug="performance",
                label="Performance framework",
                module="performance",
                period_report=reports.period_report,
                report_template="performance/report_body.html",
                report_context=reports.period_context,
            )
        )
        register(
            Register(
                slug="indicator-values",
                label="Indicator values",
                module="performance",
                import_schema=IndicatorValueImport,
            )
        )
