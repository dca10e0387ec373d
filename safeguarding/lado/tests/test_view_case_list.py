"""The LADO list page: who sees it, filters, search (in the session), pagination, queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguarding.core.models import AccessEvent
from safeguarding.lado import services
from safeguarding.lado.models import Case, Meeting, MeetingType

NAME = "Zebedee Quartermaine"
URL = "/lado/"


def references(response) -> set[str]:
    return {case.reference for case in response.context["page_obj"].object_list}


@pytest.fixture
def register(db, officer, school, other_school, lado_case):
    """Four more records across years, quarters, sectors, outcomes and states."""

    def make(agency, **values):
        return services.case_create(acting_user=officer, owning_agency=agency, **values)

    return {
        "open_q1": lado_case,  # 2016-17 Q1, primary school, pending, owned by `school`
        "closed_q3": make(
            school,
            contact_date=dt.date(2016, 11, 10),
            employer_sector="secondary_school",
            subject_name="Ophelia Brandreth",
            threshold_met=True,
            harm_test="possible_offence",
            outcome="substantiated",
            outcome_date=dt.date(2017, 1, 20),
        ),
        "advice_next_year": make(
            other_school,
            contact_date=dt.date(2017, 6, 1),
            employer_sector="early_years",
            subject_name="Percival Ambrose",
            threshold_met=False,
        ),
        "unfounded_last_year": make(
            other_school,
            contact_date=dt.date(2015, 12, 1),
            employer_sector="primary_school",
            subject_name="Winifred Ashgrove",
            threshold_met=True,
            harm_test="risk_of_harm",
            outcome="unfounded",
            outcome_date=dt.date(2016, 2, 1),
        ),
    }


# --- who may see it --------------------------------------------------------------------


def test_officer_sees_every_record(client_for, officer, register):
    response = client_for(officer).get(URL)
    assert response.status_code == 200
    assert references(response) == {c.reference for c in register.values()}
    assert NAME in response.content.decode()


def test_contributor_sees_only_their_own_agencys_records(client_for, owner, register):
    response = client_for(owner).get(URL)
    assert response.status_code == 200
    assert references(response) == {register["open_q1"].reference, register["closed_q3"].reference}


def test_contributor_of_another_agency_sees_none_of_ours(client_for, outsider, register):
    response = client_for(outsider).get(URL)
    assert response.status_code == 200
    assert references(response) == {
        register["advice_next_year"].reference,
        register["unfounded_last_year"].reference,
    }
    assert NAME not in response.content.decode()
    assert "Ophelia Brandreth" not in response.content.decode()


@pytest.mark.parametrize("who", ["reader", "admin"])
def test_reader_and_administrator_get_403_and_no_names(client_for, who, request, lado_case):
    response = client_for(request.getfixturevalue(who)).get(URL)
    assert response.status_code == 403
    assert NAME not in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client_for, lado_case):
    response = client_for(None).get(URL)
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/lado/"


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_wrong_method_gets_405(client_for, officer, method):
    response = getattr(client_for(officer), method)(URL)
    assert response.status_code == 405


def test_viewing_the_list_is_logged(client_for, officer, lado_case):
    client_for(officer).get(URL)
    event = AccessEvent.objects.get(kind="list")
    assert (event.user, event.module) == (officer, "lado")


# --- filters ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, expected",
    [
        ("year=2016-17", {"open_q1", "closed_q3"}),
        ("year=2016-17&quarter=Q3", {"closed_q3"}),
        ("year=2016-17&quarter=Q2", set()),
        ("year=2015-16", {"unfounded_last_year"}),
        ("quarter=Q1", {"open_q1", "advice_next_year"}),
        ("sector=primary_school", {"open_q1", "unfounded_last_year"}),
        ("outcome=substantiated", {"closed_q3"}),
        ("outcome=pending", {"open_q1"}),
        ("status=open", {"open_q1"}),
        ("status=closed", {"closed_q3", "unfounded_last_year"}),
        ("status=advice", {"advice_next_year"}),
        ("year=2016-17&sector=secondary_school&status=closed", {"closed_q3"}),
        (
            "sector=not-a-sector",
            {"open_q1", "closed_q3", "advice_next_year", "unfounded_last_year"},
        ),
    ],
)
def test_filters(client_for, officer, register, query, expected):
    response = client_for(officer).get(f"{URL}?{query}")
    assert response.status_code == 200
    assert references(response) == {register[k].reference for k in expected}


# --- search: POSTed, kept in the session, never in a URL -------------------------------


def test_search_by_name_is_posted_and_kept_out_of_the_url(client_for, officer, register):
    client = client_for(officer)
    response = client.post(URL, {"q": "quartermaine"})
    assert response.status_code == 302
    assert response["Location"] == URL
    assert "artermaine" not in response["Location"].lower()
    assert client.session["lado_search"] == "quartermaine"

    page = client.get(response["Location"])
    assert references(page) == {register["open_q1"].reference}
    assert "Showing results of your search" in page.content.decode()
    access = AccessEvent.objects.filter(kind="list").latest("id")
    assert "quartermaine" not in access.detail.lower()


def test_search_keeps_the_filters_in_the_redirect_but_not_the_text(client_for, officer, register):
    client = client_for(officer)
    response = client.post(f"{URL}?year=2016-17&status=closed", {"q": "Brandreth"})
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?year=2016-17&status=closed"
    page = client.get(response["Location"])
    assert references(page) == {register["closed_q3"].reference}


def test_search_by_reference(client_for, officer, register):
    client = client_for(officer)
    reference = register["advice_next_year"].reference
    client.post(URL, {"q": reference.lower()})
    assert references(client.get(URL)) == {reference}


def test_search_does_not_widen_a_contributors_scope(client_for, outsider, register):
    client = client_for(outsider)
    client.post(URL, {"q": "Zebedee"})
    page = client.get(URL)
    assert references(page) == set()
    assert "No records match" in page.content.decode()


def test_clearing_the_search_shows_everything_again(client_for, officer, register):
    client = client_for(officer)
    client.post(URL, {"q": "Brandreth"})
    response = client.post(reverse("lado:search_clear"))
    assert response.status_code == 302
    assert "lado_search" not in client.session
    assert len(references(client.get(URL))) == len(register)


# --- pagination and a constant number of queries ---------------------------------------


def make_cases(count: int, agency, *, with_meetings: bool = True) -> None:
    """Rows straight into the table: this is about the page, not the services."""
    meeting_type = MeetingType.objects.get_or_create(name="Strategy meeting")[0]
    cases = Case.objects.bulk_create(
        Case(
            reference=f"BULK-{agency.pk}-{i:04d}",
            owning_agency=agency,
            contact_date=dt.date(2016, 4, 1) + dt.timedelta(days=i),
            employer_sector="primary_school",
            subject_name=f"Adult {i}",
            threshold_met=True,
            harm_test="harmed",
            referral_date=dt.date(2016, 4, 1) + dt.timedelta(days=i),
            outcome="pending",
        )
        for i in range(count)
    )
    if with_meetings:
        cases = Case.objects.filter(reference__startswith=f"BULK-{agency.pk}-")
        Meeting.objects.bulk_create(
            Meeting(case=c, meeting_type=meeting_type, date=c.referral_date) for c in cases
        )


def test_pages_of_fifty(client_for, officer, school):
    make_cases(60, school)
    client = client_for(officer)
    first = client.get(URL)
    assert len(first.context["page_obj"].object_list) == 50
    assert "60 records" in first.content.decode()
    assert 'href="?page=2"' in first.content.decode()
    second = client.get(f"{URL}?page=2")
    assert len(second.context["page_obj"].object_list) == 10
    assert not set(references(first)) & set(references(second))
    # a page number out of range shows the last page rather than an error
    assert client.get(f"{URL}?page=99").context["page_obj"].number == 2


def test_pagination_links_keep_the_filters(client_for, officer, school):
    make_cases(60, school)
    page = client_for(officer).get(f"{URL}?year=2016-17&sector=primary_school")
    assert 'href="?year=2016-17&amp;sector=primary_school&amp;page=2"' in page.content.decode()


def test_search_text_never_reaches_a_pagination_link(client_for, officer, school):
    make_cases(60, school)
    client = client_for(officer)
    client.post(URL, {"q": "Adult"})
    html = client.get(URL).content.decode()
    assert 'href="?page=2"' in html
    assert "?q=" not in html and "&amp;q=" not in html


def count_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["officer", "owner"])
def test_the_number_of_queries_does_not_grow_with_the_rows(client_for, school, who, request):
    user = request.getfixturevalue(who)
    client = client_for(user)
    make_cases(5, school)
    few = count_queries(client)
    Case.objects.all().delete()
    make_cases(60, school)
    many = count_queries(client)
    assert few == many


def test_the_number_of_queries_while_searching_and_filtering(client_for, officer, school):
    client = client_for(officer)
    client.post(URL, {"q": "Adult"})
    make_cases(5, school)
    with CaptureQueriesContext(connection) as few:
        client.get(f"{URL}?year=2016-17&status=open")
    Case.objects.all().delete()
    make_cases(60, school)
    with CaptureQueriesContext(connection) as many:
        client.get(f"{URL}?year=2016-17&status=open")
    assert len(few) == len(many)


# --- age, overdue and the order by age ---------------------------------------------------


@pytest.fixture
def ages(db, officer, owner, school):
    """Open referrals of known ages today, one referral awaiting a decision, one closed."""
    from safeguarding.core.periods import add_months

    today = dt.date.today()

    def open_since(referred, **values):
        return services.case_create(
            acting_user=officer,
            owning_agency=school,
            contact_date=referred,
            employer_sector="primary_school",
            threshold_met=True,
            harm_test="harmed",
            **values,
        )

    return {
        "new": open_since(today - dt.timedelta(days=3)),
        "exactly_one_month": open_since(add_months(today, -1)),
        "four_months": open_since(add_months(today, -4) - dt.timedelta(days=1)),
        "since_2016": open_since(dt.date(2016, 5, 4)),
        "closed": open_since(
            dt.date(2015, 5, 4), outcome="unfounded", outcome_date=dt.date(2015, 6, 1)
        ),
        "waiting": services.referral_make(
            acting_user=owner,
            contact_date=today - dt.timedelta(days=10),
            employer_sector="primary_school",
            subject_role="Class teacher",
            summary="Shouted at a child",
        ),
    }


def rows(response) -> dict[str, str]:
    """{reference: the row's text}."""
    import re

    page = response.content.decode()
    out = {}
    for row in re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', page, re.S):
        text = " ".join(re.sub(r"<[^>]+>", " ", row).split())
        for case in Case.objects.all():
            if case.reference in text:
                out[case.reference] = text
    return out


def test_each_open_case_shows_its_age_and_what_is_overdue(client_for, officer, ages):
    shown = rows(client_for(officer).get(URL))
    assert "3 days" in shown[ages["new"].reference]
    assert "Overdue" not in shown[ages["new"].reference]
    # Exactly one month: still within the one-month target.
    assert "1 month" in shown[ages["exactly_one_month"].reference]
    assert "Overdue" not in shown[ages["exactly_one_month"].reference]
    assert "4 months Overdue: past three months" in shown[ages["four_months"].reference]
    assert "Overdue: past twelve months" in shown[ages["since_2016"].reference]
    assert "years" in shown[ages["since_2016"].reference]
    waiting = shown[ages["waiting"].reference]
    assert "Awaiting LADO decision" in waiting and "10 days Decision overdue" in waiting
    assert "Awaiting" in waiting  # the decision column
    closed = shown[ages["closed"].reference]
    assert "Closed" in closed and "Overdue" not in closed and "–" in closed


def test_sorted_by_age_the_longest_open_come_first(client_for, officer, ages):
    response = client_for(officer).get(f"{URL}?sort=age")
    order = [c.reference for c in response.context["page_obj"].object_list]
    assert order == [
        ages[k].reference
        for k in ("since_2016", "four_months", "exactly_one_month", "waiting", "new", "closed")
    ]
    # The default: newest contact first.
    default = client_for(officer).get(URL).context["page_obj"].object_list
    assert [c.reference for c in default][:2] == [ages["new"].reference, ages["waiting"].reference]


def test_the_status_filter_finds_referrals_awaiting_a_decision(client_for, officer, ages):
    response = client_for(officer).get(f"{URL}?status=awaiting")
    assert references(response) == {ages["waiting"].reference}
    assert ages["waiting"].reference not in references(
        client_for(officer).get(f"{URL}?status=advice")
    )
    assert ages["waiting"].reference not in references(
        client_for(officer).get(f"{URL}?status=open")
    )


def test_sorting_by_age_reads_a_constant_number_of_rows(
    client_for, officer, owner, school, other_school
):
    client = client_for(officer)

    def refer(days_ago: int) -> None:
        services.referral_make(
            acting_user=owner,
            contact_date=dt.date.today() - dt.timedelta(days=days_ago),
            employer_sector="primary_school",
            subject_role="Coach",
            summary="Concern",
        )

    make_cases(5, school)
    refer(1)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(f"{URL}?sort=age")
    make_cases(60, other_school)
    for days_ago in range(2, 20):
        refer(days_ago)
    with CaptureQueriesContext(connection) as many:
        client.get(f"{URL}?sort=age")
    assert len(few) == len(many)
