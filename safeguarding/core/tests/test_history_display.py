"""A record's change history reads as sentences: field labels and display values (yes/no,
choice labels, dates, agencies by name, lists in words), never field names or Python values.
"""

import datetime as dt
import html
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguarding.core import history
from safeguarding.core.audit import record_event
from safeguarding.core.models import AuditEvent
from safeguarding.lado.models import Case


def detail(case) -> str:
    return reverse("lado:detail", args=[case.pk])


def history_text(response) -> str:
    """The words of the page's change history table, as a person reads them."""
    assert response.status_code == 200
    page = response.content.decode()
    section = page[page.index('id="history"') :]
    section = section[: section.index("</table>")]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", section)).split()).replace(" :", ":")


def change(case, actor, changes: dict, summary="Record changed") -> None:
    with transaction.atomic():
        record_event(actor=actor, action="update", obj=case, changes=changes, summary=summary)


def label_of(field: str, code: str) -> str:
    return str(dict(Case._meta.get_field(field).flatchoices)[code])


def test_a_lado_case_shows_threshold_met_yes_and_no_python_values(client_for, officer, lado_case):
    change(lado_case, officer, {"threshold_met": [False, True]})
    text = history_text(client_for(officer).get(detail(lado_case)))
    assert "Threshold met: yes" in text  # the referral as recorded
    assert "Threshold met: no → yes" in text  # the change
    assert "True" not in text and "False" not in text
    assert "threshold_met" not in text and "None" not in text and "[" not in text


def test_dates_read_as_a_person_writes_them(client_for, officer, lado_case):
    text = history_text(client_for(officer).get(detail(lado_case)))
    assert "Contact date: 3 May 2016" in text
    assert "2016-05-03" not in text


def test_a_choice_shows_its_label(client_for, officer, lado_case):
    change(lado_case, officer, {"outcome": ["pending", "substantiated"]})
    text = history_text(client_for(officer).get(detail(lado_case)))
    physical = label_of("allegation_category", "physical")
    assert physical != "physical"
    assert f"Allegation category: {physical}" in text
    assert (
        f"Outcome: {label_of('outcome', 'pending')} → {label_of('outcome', 'substantiated')}"
        in (text)
    )
    assert "pending →" not in text and "→ substantiated" not in text


def test_an_agency_shows_by_name_whether_stored_by_name_or_by_id(
    client_for, officer, lado_case, school, other_school
):
    change(lado_case, officer, {"owning_agency": [other_school.pk, school.pk]})
    text = history_text(client_for(officer).get(detail(lado_case)))
    assert "Owning agency: Hillside Academy → Brockley Rise Primary School" in text
    assert f"Owning agency: {other_school.pk} →" not in text
    # the referral stored the agency's name when it was made
    assert "Owning agency: Brockley Rise Primary School" in text


def test_a_list_shows_in_words(client_for, officer, lado_case, council, school, other_school):
    """Agencies at a meeting stored by id (the meeting's own field), and a list of names."""
    change(lado_case, officer, {"meeting agencies": [None, [school.pk, other_school.pk]]})
    change(lado_case, officer, {"reviewers": [["Ann"], ["Ann", "Bob", "Cy"]]})
    text = history_text(client_for(officer).get(detail(lado_case)))
    assert "Meeting agencies: Brockley Rise Primary School and Hillside Academy" in text
    assert "Reviewers: Ann → Ann, Bob and Cy" in text
    assert "['" not in text


def test_an_unknown_field_gets_a_humanised_name(client_for, officer, lado_case):
    change(lado_case, officer, {"first_meeting": ["", "2016-05-10"], "agreed": [False, True]})
    text = history_text(client_for(officer).get(detail(lado_case)))
    assert "First meeting: (blank) → 10 May 2016" in text
    assert "Agreed: no → yes" in text


def test_a_users_grants_show_the_module_and_the_role(client_for, admin, school):
    from safeguarding.core import services

    with transaction.atomic():
        person = services.user_create(
            acting_user=admin,
            email="nadia@example.org",
            full_name="Nadia Newcomer",
            agency=school,
            grants={"lado": "contributor"},
        )
    text = history_text(client_for(admin).get(reverse("user_edit", args=[person.pk])))
    assert "LADO allegations: contributor" in text
    assert "Can sign in: yes" in text and "Agency: Brockley Rise Primary School" in text
    assert "grant:lado" not in text and "is_active" not in text


def _events(case, agencies, count: int) -> list[AuditEvent]:
    return [
        AuditEvent(
            object_type="lado.case",
            object_id=str(case.pk),
            action="update",
            at=dt.datetime(2016, 5, 3, tzinfo=dt.UTC),
            changes={
                "owning_agency": [agencies[i % 3].pk, agencies[(i + 1) % 3].pk],
                "meeting agencies": [None, [a.pk for a in agencies]],
                "contact_date": ["2016-05-03", "2016-05-04"],
            },
        )
        for i in range(count)
    ]


def test_names_are_looked_up_once_per_page_not_per_row(lado_case, council, school, other_school):
    agencies = [council, school, other_school]
    with CaptureQueriesContext(connection) as few:
        history.readable(_events(lado_case, agencies, 2))
    with CaptureQueriesContext(connection) as many:
        rows = history.readable(_events(lado_case, agencies, 40))
    assert len(few) == len(many) == 1  # the agencies, once
    last = rows[-1].readable_changes
    assert (last[0].old, last[0].new) == (agencies[39 % 3].name, agencies[40 % 3].name)
    assert (
        last[1].new == "Children's Social Care, Brockley Rise Primary School and Hillside Academy"
    )


def test_the_page_costs_the_same_with_a_longer_history(
    client_for, officer, lado_case, council, school, other_school
):
    client = client_for(officer)
    client.get(detail(lado_case))  # the first request of a session does one-off work
    change(lado_case, officer, {"owning_agency": [council.pk, school.pk]})
    with CaptureQueriesContext(connection) as few:
        client.get(detail(lado_case))
    for i in range(15):
        change(
            lado_case,
            officer,
            {
                "owning_agency": [[council, school, other_school][i % 3].pk, school.pk],
                "meeting agencies": [None, [council.pk, other_school.pk]],
            },
        )
    with CaptureQueriesContext(connection) as many:
        client.get(detail(lado_case))
    assert len(many) == len(few)


@pytest.mark.parametrize(
    "items, words",
    [
        ([], ""),
        (["Ann"], "Ann"),
        (["Ann", "Bob"], "Ann and Bob"),
        (["Ann", "Bob", "Cy"], "Ann, Bob and Cy"),
        (
            ["Police, Central BCU", "Health", "Education"],
            "Police, Central BCU; Health and Education",
        ),
    ],
)
def test_lists_join_in_words(items, words):
    assert history.join_words(items) == words


def test_an_event_of_a_model_that_no_longer_exists_still_reads(db):
    event = AuditEvent(object_type="gone.thing", changes={"is_open": [True, False]})
    (row,) = history.readable([event])
    assert row.readable_changes == [history.Change("Is open", "yes", "no")]
