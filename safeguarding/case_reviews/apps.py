from django.apps import AppConfig


class CaseReviewsConfig(AppConfig):
    name = "safeguarding.case_reviews"
    label = "case_reviews"
    verbose_name = "Case reviews"

    def ready(self) -> None:
        from safeguarding.core.permissions import register_module
        from safeguarding.core.registers import Register, register

        from . import reports, views
        from .imports import CaseReviewImport

        register_module(
            "case_reviews",
            "Case reviews",
            records_url="case_reviews:list",
            figures_url="case_reviews:report",
        )
        register(
            Register(
                slug="case-reviews",
                label="Case reviews",
                module="case_reviews",
                import_schema=CaseReviewImport,
                year_report=reports.year_report,
                report_template="case_reviews/report_body.html",
                report_context=views.report_context,
            )
        )
