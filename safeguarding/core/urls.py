from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("sign-in/", views.sign_in, name="login"),
    path("sign-out/", views.sign_out, name="logout"),
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
]
