from django.urls import include, path

from . import views
from .register import ELEARNING, REGISTER

app_name = "training"

programme = [
    path("courses/", views.course_list, name="courses"),
    path("courses/new/", views.course_edit, name="course_create"),
    path("courses/<int:pk>/", views.course_edit, name="course_edit"),
    path("sessions/new/", views.session_edit, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/attendance/", views.attendance, name="attendance"),
]
booking = [
    path("", views.booking_detail, name="booking"),
    path("decide/", views.booking_decide, name="booking_decide"),
    path("move/", views.booking_move, name="booking_move"),
    path("cancel/", views.booking_cancel, name="booking_cancel"),
]
public = [
    path("programme/", views.programme, name="programme"),
    path("programme/<int:pk>/book/", views.book, name="book"),
    path("programme/applied/", views.booked, name="booked"),
    path("booking/<str:token>/", views.manage, name="manage"),
    path("booking/<str:token>/evaluation/<int:stage>/", views.evaluate, name="evaluate"),
    path("booking/<str:token>/certificate.pdf", views.certificate, name="certificate"),
    path("verify/", views.verify, name="verify"),
]
urlpatterns = [
    path("", views.session_list, name="sessions"),
    *programme,
    path("bookings/<int:pk>/", include(booking)),
    path("no-shows/", views.no_shows, name="no_shows"),
    path("quotes/", views.quotes, name="quotes"),
    *ELEARNING.urls(),  # import/ (and its progress page)
    *REGISTER.urls(),  # report/, report/<year>/confidence.svg, report/<year>.<fmt>
    *public,  # no sign-in: the programme, applying, the delegate's own pages by signed link
]
