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
    assert "You have no access to any register yet" in html
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
    assert "Resolve within" in row[:600] and "Overdue" in row[:800]
    assert f'href="{reverse("lado:detail", args=[lado_case.pk])}"' in html


def test_the_worklist_follows_scope(client_for, outsider, lado_case):
    assert lado_case.reference not in client_for(outsider).get(URL).content.decode()
