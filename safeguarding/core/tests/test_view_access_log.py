"""The access log page: a manager filters views and exports of their modules' records by
user, record and date, and downloads them; looking at the log is itself logged."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from safeguarding.core import access_views
from safeguarding.core.audit import record_access
from safeguarding.core.models import AccessEvent

URL = reverse("access_log")
CSV = reverse("access_log_download")


@pytest.fixture
def looked(officer, lado_case, council):
    """The officer opened the LADO case; someone in missing looked at a child."""
    record_access(user=officer, module="lado", obj=lado_case)
    other = make_user("missing.officer@example.org", council, {"missing": "officer"})
    record_access(user=other, module="missing", kind="list", detail="interview worklist")
    return lado_case


def test_a_manager_sees_their_modules_rows_only(client_for, manager, looked):
    html = client_for(manager).get(URL).content.decode()
    assert "officer@example.org" in html
    assert f"{looked.pk}" in html
    assert "missing.officer@example.org" not in html


def test_filter_by_user_and_record(client_for, manager, officer, looked):
    client = client_for(manager)
    html = client.get(URL, {"user": officer.pk}).content.decode()
    assert "officer@example.org" in html
    html = client.get(URL, {"record_type": "lado.case", "record_id": looked.pk + 1000}).content
    assert "No views or exports match these filters" in html.decode()
    html = client.get(URL, {"record_type": "lado.case", "record_id": looked.pk}).content.decode()
    assert "officer@example.org" in html


def test_filter_by_date_includes_the_whole_last_day(client_for, manager, looked):
    today = timezone.localdate()
    client = client_for(manager)
    same_day = client.get(URL, {"date_from": today.isoformat(), "date_to": today.isoformat()})
    assert "officer@example.org" in same_day.content.decode()
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    before = client.get(URL, {"date_from": yesterday, "date_to": yesterday}).content.decode()
    assert "officer@example.org" not in before.replace("manager@example.org", "")


def test_dates_out_of_order_are_explained(client_for, manager):
    response = client_for(manager).get(URL, {"date_from": "2026-12-02", "date_to": "2026-12-01"})
    assert "&#x27;To&#x27; must be the same as or after &#x27;From&#x27;" in (
        response.content.decode()
    )


def test_viewing_and_downloading_the_log_are_logged(client_for, manager, looked):
    client = client_for(manager)
    client.get(URL)
    assert AccessEvent.objects.filter(user=manager, kind="list", detail="access log").exists()
    response = client.get(CSV, {"record_type": "lado.case"})
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content if response.streaming else [response.content])
    lines = body.decode().splitlines()
    assert lines[0] == "number,at,user,kind,module,record_type,record_id,detail"
    assert len(lines) == 2 and "lado.case" in lines[1]
    assert AccessEvent.objects.filter(user=manager, kind="export", detail="access log CSV").exists()


def test_older_entries_page_by_number_not_by_offset(client_for, manager, officer, lado_case):
    for _ in range(access_views.LOG_PAGE + 5):
        record_access(user=officer, module="lado", kind="list", detail="case list")
    client = client_for(manager)
    first = client.get(URL)
    assert "Older entries" in first.content.decode()
    oldest_shown = first.context["rows"][-1].seq
    second = client.get(URL, {"before": oldest_shown})
    assert all(row.seq < oldest_shown for row in second.context["rows"])
    assert second.context["rows"]


@pytest.mark.parametrize("who", ["officer", "reader", "owner", "admin"])
def test_only_managers_read_the_log(client_for, request, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert client.get(CSV).status_code == 403


def test_anonymous_goes_to_sign_in(client):
    assert client.get(URL).status_code == 302
