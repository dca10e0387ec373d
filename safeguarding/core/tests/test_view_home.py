"""The home page: signed-in users only, showing the modules their grants open."""

import pytest
from django.urls import reverse

URL = reverse("home")


def test_an_officer_is_sent_to_the_records(client_for, officer):
    response = client_for(officer).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{reverse("lado:list")}"' in html
    assert "(officer)" in html
    assert reverse("admin_home") not in html


def test_a_reader_is_sent_to_the_figures(client_for, reader):
    html = client_for(reader).get(URL).content.decode()
    assert f'href="{reverse("lado:report")}"' in html
    assert f'href="{reverse("lado:list")}"' not in html


def test_the_administrator_sees_administration_but_no_register(client_for, admin):
    html = client_for(admin).get(URL).content.decode()
    assert f'href="{reverse("admin_home")}"' in html
    assert "You have no access to any register yet" not in html  # not "ask the administrator"
    assert "an administrator account holds no register role" in html
    assert reverse("lado:list") not in html and reverse("lado:report") not in html


def test_the_home_page_shows_no_records(client_for, owner, lado_case):
    assert "Zebedee Quartermaine" not in client_for(owner).get(URL).content.decode()


def test_anonymous_is_sent_to_sign_in(client_for, db):
    response = client_for(None).get(URL)
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/"


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_wrong_method_gets_405(client_for, officer, method):
    assert getattr(client_for(officer), method)(URL).status_code == 405


def test_an_officer_sees_what_is_overdue_most_urgent_first(client_for, officer, lado_case):
    """The LADO register's worklist (its resolution targets) reaches the home page."""
    html = client_for(officer).get(URL).content.decode()
    assert "Due and overdue" in html
    row = html[html.index(lado_case.reference) :]
    assert "Overdue for resolution" in row[:600] and "Overdue</strong>" in row[:1200]
    assert f'href="{reverse("lado:detail", args=[lado_case.pk])}"' in html


def test_the_worklist_follows_scope(client_for, outsider, lado_case):
    assert lado_case.reference not in client_for(outsider).get(URL).content.decode()


def test_counts_per_register_sit_at_the_top(client_for, officer, lado_case):
    html = client_for(officer).get(URL).content.decode()
    counts = html[html.index('aria-label="Due and overdue by register"') :]
    assert "LADO allegations" in counts[:800]
    assert "1 overdue" in counts[:800]
    assert html.index("1 overdue") < html.index("Due and overdue</h2>")


def test_nothing_due_says_so(client_for, owner):
    html = client_for(owner).get(URL).content.decode()
    assert "Nothing is due or overdue for you." in html


def test_a_reader_sees_key_figures_instead_of_work(client_for, council, db):
    import datetime as dt

    from django.core.cache import cache

    from conftest import make_user
    from safeguarding.training.models import Course, Session

    cache.clear()
    course = Course.objects.create(title="Neglect")
    Session.objects.create(
        course=course,
        starts_at=dt.datetime(2016, 6, 1, 9, tzinfo=dt.UTC),
        ends_at=dt.datetime(2016, 6, 1, 12, tzinfo=dt.UTC),
        capacity=20,
    )
    board = make_user("board@example.org", council, {"training": "reader"})
    html = client_for(board).get(URL).content.decode()
    assert "Your work" not in html and "Due and overdue" not in html
    assert "Training figures, 2016-17" in html
    assert "Places available" in html and ">20<" in html.replace(" ", "")


def test_the_home_page_costs_the_same_with_more_records(
    client_for, officer, school, django_assert_max_num_queries
):
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from safeguarding.lado import services

    def add(n):
        for i in range(n):
            services.case_create(
                acting_user=officer,
                owning_agency=school,
                contact_date=dt.date(2016, 5, 3) + dt.timedelta(days=i),
                employer_name="School",
                employer_sector="primary_school",
                subject_name=f"Adult {i}",
                subject_role="Teacher",
                summary="Allegation",
                allegation_category="physical",
            )

    client = client_for(officer)
    add(2)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)
