from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "safeguarding.training"
    label = "training"
    verbose_name = "Multi-agency training"

    def ready(self) -> None:
        from safeguarding.core.permissions import register_module
        from safeguarding.core.registers import Register, register

        from . import reports, views
        from .imports import ELearningImport

        register_module(
            "training",
            "Multi-agency training",
            records_url="training:sessions",
            figures_url="training:report",
        )
        register(
            Register(
                slug="training",
                label="Multi-agency training",
                module="training",
                year_report=reports.year_report,
                report_template="training/report_body.html",
                report_context=views.report_context,
            )
        )
        register(
            Register(
                slug="elearning",
                label="E-learning completions",
                module="training",
                import_schema=ELearningImport,
            )
        )
