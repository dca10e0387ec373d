from django.urls import path

from . import access_views, two_factor, views

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("health/", views.health, name="health"),
    path("sign-in/", views.sign_in, name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("two-factor/", two_factor.status, name="two_factor"),
    path("two-factor/set-up/", two_factor.enrol, name="two_factor_enrol"),
    path("two-factor/code/", two_factor.verify, name="two_factor_verify"),
    path("two-factor/recovery-codes/", two_factor.recovery_codes, name="two_factor_recovery_codes"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password-reset/complete/", views.password_reset_complete, name="password_reset_complete"),
    path("administration/", views.admin_home, name="admin_home"),
    path("administration/agencies/new/", views.agency_edit, name="agency_create"),
    path("administration/agencies/<int:pk>/", views.agency_edit, name="agency_edit"),
    path("administration/users/new/", views.user_edit, name="user_create"),
    path("administration/users/<int:pk>/", views.user_edit, name="user_edit"),
    path(
        "administration/users/<int:pk>/two-factor/",
        two_factor.reset,
        name="user_two_factor_reset",
    ),
    path("administration/access-review/", access_views.access_review, name="access_review"),
    path("access-log/", access_views.access_log, name="access_log"),
    path("access-log.csv", access_views.access_log_download, name="access_log_download"),
]
