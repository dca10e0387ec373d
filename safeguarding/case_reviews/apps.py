from safeguarding.core import modules


class CaseReviewsConfig(modules.ModuleConfig):
    name = "safeguarding.case_reviews"
    label = "case_reviews"
    verbose_name = "Case reviews"
    records_url = "case_reviews:list"
    figures_url = "case_reviews:report"
