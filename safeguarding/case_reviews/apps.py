from django.apps import AppConfig


class CaseReviewsConfig(AppConfig):
    name = "safeguarding.case_reviews"
    label = "case_reviews"
