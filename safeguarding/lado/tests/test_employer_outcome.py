"""The outcome of the employer's own process, for a referral whose LADO outcome is "no
further action": the same outcome codes, on the case, its form, the import and the history."""

import datetime as dt

import pytest
from django.urls import reverse

from safeguarding.core.models import AuditEvent
from safeguarding.core.writes import RecordInvalid
from safeguarding.lado import services
from safeguarding.lado.codes import EMPLOYER_OUTCOMES, OUTCOME_CODES
from safeguarding.lado.models import Case
from safeguarding.lado.rules import case_problems

from .test_import import COLUMNS, referral_row, run, write_csv

D = dt.date


def test_the_codes_are_the_outcome_codes_less_no_further_action():
    assert [c for c, _ in EMPLOYER_OUTCOMES] == [
        c for c in OUTCOME_CODES if c != "no_further_action"
    ]


def test_the_rule_allows_it_only_with_no_further_action():
    base = dict(contact_date=D(2016, 5, 3), threshold_met=True, outcome_date=D(2016, 6, 1))
    assert (
        case_problems(**base, outcome="no_further_action", employer_outcome="substantiated") == []
    )
    assert case_problems(**base, outcome="unfounded", employer_outcome="substantiated") == [
        (
            "employer_outcome",
            'must be blank unless the outcome is "no further action" '
            "(returned to the employer's own process)",
        )
    ]
    problems = case_problems(
        contact_date=D(2016, 5, 3), threshold_met=False, employer_outcome="pending"
    )
    assert [f for f, _ in problems] == ["employer_outcome"]


def test_recorded_with_the_outcome_and_in_the_history(db, officer, lado_case):
    case = services.outcome_record(
        acting_user=officer,
        case=lado_case,
        expected_version=lado_case.version,
        outcome="no_further_action",
        outcome_date=D(2016, 6, 1),
        employer_outcome="unsubstantiated",
    )
    case.refresh_from_db()
    assert case.employer_outcome == "unsubstantiated"
    event = AuditEvent.objects.filter(object_id=str(case.pk), action="update").latest("at")
    assert event.changes["employer_outcome"] == ["", "unsubstantiated"]
    # Another outcome clears it, and the history says so.
    case = services.outcome_record(
        acting_user=officer,
        case=case,
        expected_version=case.version,
        outcome="substantiated",
        outcome_date=D(2016, 6, 2),
        employer_outcome="unsubstantiated",
    )
    case.refresh_from_db()
    assert case.employer_outcome == ""


def test_the_service_refuses_it_on_a_case_update_with_another_outcome(db, officer, lado_case):
    with pytest.raises(RecordInvalid):
        services.case_update(
            acting_user=officer,
            case=lado_case,
            expected_version=lado_case.version,
            outcome="false",
            outcome_date=D(2016, 6, 1),
            employer_outcome="pending",
        )


def _post(code, employer):
    day = D(2016, 7, 1)
    return {
        "version": 1,
        "outcome": code,
        "outcome_date_0": day.day,
        "outcome_date_1": day.month,
        "outcome_date_2": day.year,
        "employer_outcome": employer,
    }


def test_the_outcome_form_records_it(client_for, officer, lado_case):
    url = reverse("lado:outcome", args=[lado_case.pk])
    page = client_for(officer).get(url).content.decode()
    assert "Outcome of the employer" in page
    response = client_for(officer).post(url, _post("no_further_action", "pending"))
    assert response.status_code == 302
    lado_case.refresh_from_db()
    assert lado_case.employer_outcome == "pending"
    detail = client_for(officer).get(reverse("lado:detail", args=[lado_case.pk]))
    assert "Outcome of the employer" in detail.content.decode()


def test_the_form_refuses_it_with_another_outcome(client_for, officer, lado_case):
    url = reverse("lado:outcome", args=[lado_case.pk])
    response = client_for(officer).post(url, _post("unfounded", "substantiated"))
    assert response.status_code == 200
    assert "Leave this blank unless the outcome is" in response.content.decode()
    lado_case.refresh_from_db()
    assert lado_case.outcome == "pending"


COLUMNS_WITH = [*COLUMNS, "employer_outcome"]


def test_the_import_takes_the_optional_column(db, tmp_path):
    rows = [
        referral_row("L-1", outcome="no_further_action", employer_outcome="substantiated"),
        referral_row("L-2", outcome="no_further_action", employer_outcome=""),
    ]
    assert run(write_csv(tmp_path, rows, COLUMNS_WITH)).code == 0
    assert Case.objects.get(reference="L-1").employer_outcome == "substantiated"
    assert Case.objects.get(reference="L-2").employer_outcome == ""


def test_a_blank_or_missing_column_leaves_it_and_another_outcome_clears_it(db, tmp_path):
    first = [referral_row("L-1", outcome="no_further_action", employer_outcome="malicious")]
    assert run(write_csv(tmp_path, first, COLUMNS_WITH)).code == 0
    again = [referral_row("L-1", outcome="no_further_action")]
    assert run(write_csv(tmp_path, again, COLUMNS, name="b.csv")).code == 0
    assert Case.objects.get(reference="L-1").employer_outcome == "malicious"
    changed = [referral_row("L-1", outcome="unfounded")]
    assert run(write_csv(tmp_path, changed, COLUMNS, name="c.csv")).code == 0
    assert Case.objects.get(reference="L-1").employer_outcome == ""


def test_the_import_refuses_it_with_another_outcome_or_an_unknown_code(db, tmp_path):
    rows = [
        referral_row("L-1", outcome="unfounded", employer_outcome="substantiated"),
        referral_row("L-2", outcome="no_further_action", employer_outcome="no_further_action"),
    ]
    result = run(write_csv(tmp_path, rows, COLUMNS_WITH))
    assert result.code == 2
    assert {(row, column) for row, column, _ in result.problems} == {
        (2, "employer_outcome"),
        (3, "employer_outcome"),
    }
    assert not Case.objects.exists()
