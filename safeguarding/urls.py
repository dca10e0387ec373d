from django.urls import include, path

urlpatterns = [
    path("", include("safeguarding.core.urls")),
    path("lado/", include("safeguarding.lado.urls")),
    path("children/", include("safeguarding.children.urls")),
    path("actions/", include("safeguarding.actions.urls")),
    path("child-deaths/", include("safeguarding.child_deaths.urls")),
    path("private-fostering/", include("safeguarding.private_fostering.urls")),
    path("missing/", include("safeguarding.missing.urls")),
    path("case-reviews/", include("safeguarding.case_reviews.urls")),
    path("training/", include("safeguarding.training.urls")),
    path("performance/", include("safeguarding.performance.urls")),
]
