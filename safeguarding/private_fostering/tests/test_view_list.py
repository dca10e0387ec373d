"""The register list, its filters and search (search text never in the URL)."""

import datetime as dt

import pytest
from django.urls import reverse

from safeguarding.core.models import AccessEvent
from safeguarding.private_fostering.models import Notification

from .conftest import visit_made

URL = reverse("private_fostering:list")


@pytest.mark.django_db
def test_officer_sees_every_notification(client_for, pf_officer, notification):
    r = client_for(pf_officer).get(URL)
    assert r.status_code == 200
    assert notification.reference in r.content.decode()
    assert "Zebedee" in r.content.decode()
    assert AccessEvent.objects.filter(user=pf_officer, kind="list").exists()


@pytest.mark.django_db
def test_contributor_sees_own_agencys_only(client_for, pf_owner, pf_outsider, notification):
    assert notification.reference in client_for(pf_owner).get(URL).content.decode()
    page = client_for(pf_outsider).get(URL).content.decode()
    assert notification.reference not in page and "Zebedee" not in page


@pytest.mark.django_db
def test_reader_anonymous_and_wrong_method(client_for, pf_reader, pf_officer, notification):
    assert client_for(pf_reader).get(URL).status_code == 403
    r = client_for(None).get(URL)
    assert r.status_code == 302 and r["Location"].startswith("/sign-in/")
    assert client_for(pf_officer).put(URL).status_code == 405


@pytest.mark.django_db
def test_filters(client_for, pf_officer, notification):
    c = client_for(pf_officer)
    assert notification.reference in c.get(URL, {"status": "active"}).content.decode()
    assert notification.reference not in c.get(URL, {"status": "ended"}).content.decode()
    assert notification.reference not in c.get(URL, {"category": "other"}).content.decode()
    assert notification.reference in c.get(URL, {"year": "2016-17"}).content.decode()
    # Its first visit (May 2016) was never made: it is overdue.
    assert notification.reference in c.get(URL, {"overdue": "yes"}).content.decode()


@pytest.mark.django_db
def test_the_overdue_filter_leaves_out_records_without_an_overdue_visit(
    client_for, pf_officer, notification
):
    from safeguarding.private_fostering import services

    visit_made(pf_officer, notification)
    services.arrangement_update(
        acting_user=pf_officer,
        notification=notification,
        expected_version=Notification.objects.get(pk=notification.pk).version,
        arrangement_start_date=dt.date(2016, 5, 9),
        arrangement_end_date=dt.date(2016, 6, 1),
        end_reason="returned_home",
    )
    c = client_for(pf_officer)
    assert notification.reference in c.get(URL, {"overdue": ""}).content.decode()
    page = c.get(URL, {"overdue": "yes"}).content.decode()
    assert notification.reference not in page and "0 records" in page
    # The choice made stays chosen.
    assert '<option value="yes" selected>With an overdue visit</option>' in page


@pytest.mark.django_db
def test_the_columns_show_the_notification(client_for, pf_officer, notification):
    page = client_for(pf_officer).get(URL).content.decode()
    for text in (
        "Reference",
        "Notified",
        "Next visit due",
        "9 May 2016",  # notified
        "Zebedee Quartermaine",
        "Language student with a host family",
        "Private fostering",  # the decision
        "18 May 2016",  # the first visit, due and never made
        "Overdue",
        "Arrangement in place",
    ):
        assert text in page, text
    assert reverse("private_fostering:detail", args=[notification.pk]) in page


@pytest.mark.django_db
def test_buttons_follow_the_role(client_for, pf_officer, pf_owner):
    officer = client_for(pf_officer).get(URL).content.decode()
    for label, name in (
        ("Record a notification", "create"),
        ("Visits due", "worklist"),
        ("Figures", "report"),
        ("Import a file", "import"),
    ):
        assert label in officer and reverse(f"private_fostering:{name}") in officer
    contributor = client_for(pf_owner).get(URL).content.decode()
    assert "Record a notification" in contributor and "Visits due" in contributor
    assert "Import a file" not in contributor


@pytest.mark.django_db
def test_search_is_kept_in_the_session_and_cleared(client_for, pf_officer, notification):
    c = client_for(pf_officer)
    r = c.post(URL, {"q": "Quartermaine"})
    assert r.status_code == 302 and "Quartermaine" not in r["Location"]
    assert notification.reference in c.get(URL).content.decode()
    c.post(URL, {"q": "nobody-called-this"})
    assert notification.reference not in c.get(URL).content.decode()
    clear = reverse("private_fostering:search_clear")
    assert c.get(clear).status_code == 405
    c.post(clear)
    assert notification.reference in c.get(URL).content.decode()


@pytest.mark.django_db
def test_list_queries_do_not_grow_with_rows(
    client_for, pf_officer, notification, django_assert_max_num_queries
):
    from safeguarding.private_fostering import services

    c = client_for(pf_officer)
    c.get(URL)
    for i in range(5):
        services.notification_create(
            acting_user=pf_officer,
            notification_date=notification.notification_date,
            carer_relationship="family_friend",
            category="other",
            child_first_name=f"C{i}",
        )
    with django_assert_max_num_queries(14):
        assert c.get(URL).status_code == 200
