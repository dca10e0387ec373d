"""LADO writes: status, date rules, change history, optimistic concurrency, clocks."""

import datetime as dt

import pytest
from django.test import override_settings

from safeguarding.core.audit import history_for
from safeguarding.core.models import AuditEvent
from safeguarding.core.writes import RecordInvalid, StaleRecord
from safeguarding.lado import services
from safeguarding.lado.models import Case, Meeting, MeetingType

D = dt.date


def referral(officer, **values):
    base = {
        "contact_date": D(2016, 5, 3),
        "employer_sector": "primary_school",
        "threshold_met": True,
        "harm_test": "harmed",
        "referral_date": D(2016, 5, 4),
        "subject_role": "Teaching assistant",
    }
    base.update(values)
    return services.case_create(acting_user=officer, **base)


@pytest.fixture
def strategy(db):
    return MeetingType.objects.create(name="Strategy meeting")


def audit_rows():
    return list(AuditEvent.objects.exclude(action__startswith="sign_").order_by("id"))


# ---- creating ---------------------------------------------------------------------------


def test_creating_a_referral_records_who_and_what(officer, school):
    case = referral(officer, owning_agency=school, subject_name="A. Person")
    (event,) = history_for(case)
    assert event.action == "create"
    assert event.actor == officer
    assert event.actor_label == "officer <officer@example.org>"
    assert event.module == "lado"
    assert event.changes["reference"] == [None, case.reference]
    assert event.changes["contact_date"] == [None, "2016-05-03"]
    assert event.changes["referral_date"] == [None, "2016-05-04"]
    assert event.changes["owning_agency"] == [None, school.name]
    assert event.changes["outcome"] == [None, "pending"]
    assert event.summary == "Referral recorded"


def test_new_records_belong_to_the_creators_agency_unless_given(owner, school):
    case = referral(owner)
    assert case.owning_agency == school


def test_references_are_numbered_by_financial_year(officer):
    first = referral(officer, contact_date=D(2017, 3, 31), referral_date=D(2017, 3, 31))
    second = referral(officer, contact_date=D(2016, 4, 1), referral_date=D(2016, 4, 1))
    third = referral(officer, contact_date=D(2017, 4, 1), referral_date=D(2017, 4, 1))
    assert first.reference == "LADO-2016-17-0001"
    assert second.reference == "LADO-2016-17-0002"
    assert third.reference == "LADO-2017-18-0001"


def test_a_generated_reference_already_taken_is_not_reused(officer):
    taken = referral(officer, reference="LADO-2016-17-0001")
    Case.objects.filter(pk=taken.pk).update(reference="LADO-2016-17-0002")
    # One case with the prefix: the next number (0002) is taken, so a suffix is added.
    case = referral(officer)
    assert case.reference.startswith("LADO-2016-17-0002-")
    assert Case.objects.count() == 2


def test_a_reference_that_cannot_be_generated_saves_nothing(officer, monkeypatch):
    referral(officer, reference="LADO-2016-17-0001")
    monkeypatch.setattr(
        Case,
        "save",
        _always_duplicate(Case.save),
    )
    before = len(audit_rows())
    with pytest.raises(RecordInvalid) as exc:
        referral(officer)
    assert exc.value.problems[0][0] == "reference"
    assert Case.objects.count() == 1
    assert len(audit_rows()) == before


def _always_duplicate(save):
    from django.db import IntegrityError

    def patched(self, *args, **kwargs):
        if self.pk is None:
            raise IntegrityError("UNIQUE constraint failed: lado_case.reference")
        return save(self, *args, **kwargs)

    return patched


def test_a_duplicate_reference_is_refused_and_leaves_no_trace(officer):
    referral(officer, reference="LADO-X-1")
    before = len(audit_rows())
    with pytest.raises(RecordInvalid) as exc:
        referral(officer, reference="LADO-X-1")
    assert exc.value.problems == [("reference", "This reference is already used")]
    assert Case.objects.count() == 1
    assert len(audit_rows()) == before


def test_a_referral_needs_the_harm_test(officer):
    with pytest.raises(RecordInvalid) as exc:
        referral(officer, harm_test="")
    assert [f for f, _ in exc.value.problems] == ["harm_test"]
    assert Case.objects.count() == 0
    assert audit_rows() == []


@pytest.mark.parametrize(
    "values, field",
    [
        ({"referral_date": D(2016, 5, 2)}, "referral_date"),
        ({"contact_date": dt.date.today() + dt.timedelta(days=1)}, "contact_date"),
        ({"employer_aware_date": D(2016, 5, 4)}, "employer_aware_date"),
        ({"outcome": "unfounded", "outcome_date": D(2016, 5, 1)}, "outcome_date"),
        ({"outcome": "pending", "outcome_date": D(2016, 6, 1)}, "outcome_date"),
        (
            {"subject_date_of_birth": dt.date.today() + dt.timedelta(days=1)},
            "subject_date_of_birth",
        ),
    ],
)
def test_bad_dates_are_refused_naming_the_field_and_nothing_is_written(officer, values, field):
    with pytest.raises(RecordInvalid) as exc:
        referral(officer, **values)
    assert field in [f for f, _ in exc.value.problems]
    assert field in str(exc.value)
    assert Case.objects.count() == 0
    assert audit_rows() == []


# ---- status -----------------------------------------------------------------------------


def test_advice_only_contact_is_closed_and_carries_no_referral_details(officer):
    case = services.case_create(
        acting_user=officer,
        contact_date=D(2016, 5, 3),
        employer_sector="faith",
        threshold_met=False,
        harm_test="harmed",
    )
    case.refresh_from_db()
    assert case.is_open is False
    assert case.status_label == "Advice given"
    assert (case.referral_date, case.outcome, case.harm_test) == (None, "", "")
    assert history_for(case)[0].summary == "Contact recorded"


def test_a_referral_without_outcome_is_open_and_pending(officer):
    case = referral(officer, referral_date=None)
    case.refresh_from_db()
    assert case.is_open is True
    assert case.status_label == "Open"
    assert case.outcome == "pending"
    assert case.referral_date == case.contact_date  # blank referral date: the contact date


def test_a_referral_closes_only_with_a_final_outcome(officer):
    case = referral(officer)
    case = services.outcome_record(
        acting_user=officer,
        case=case,
        expected_version=case.version,
        outcome="pending",
        outcome_date=D(2016, 6, 1),
    )
    assert case.is_open is True
    assert case.outcome_date is None  # no date while pending
    case = services.outcome_record(
        acting_user=officer,
        case=case,
        expected_version=case.version,
        outcome="unsubstantiated",
        outcome_date=D(2016, 6, 1),
    )
    case.refresh_from_db()
    assert case.is_open is False
    assert case.status_label == "Closed"
    # Re-opened when the outcome goes back to pending.
    case = services.outcome_record(
        acting_user=officer,
        case=case,
        expected_version=case.version,
        outcome="pending",
        outcome_date=None,
    )
    case.refresh_from_db()
    assert case.is_open is True
    assert case.outcome_date is None


def test_a_final_outcome_needs_its_date(officer, lado_case):
    with pytest.raises(RecordInvalid) as exc:
        services.outcome_record(
            acting_user=officer,
            case=lado_case,
            expected_version=lado_case.version,
            outcome="substantiated",
            outcome_date=None,
        )
    assert exc.value.problems == [("outcome_date", "Enter the date of the outcome")]
    lado_case.refresh_from_db()
    assert lado_case.outcome == "pending"


def test_an_advice_only_contact_takes_no_outcome(officer):
    case = services.case_create(
        acting_user=officer,
        contact_date=D(2016, 5, 3),
        employer_sector="faith",
        threshold_met=False,
    )
    with pytest.raises(RecordInvalid) as exc:
        services.outcome_record(
            acting_user=officer,
            case=case,
            expected_version=case.version,
            outcome="substantiated",
            outcome_date=D(2016, 6, 1),
        )
    assert exc.value.problems[0][0] == "outcome"
    case.refresh_from_db()
    assert case.outcome == ""


# ---- change history ---------------------------------------------------------------------


def test_an_update_records_each_changed_field_old_and_new(officer, manager, lado_case):
    services.case_update(
        acting_user=manager,
        case=lado_case,
        expected_version=lado_case.version,
        subject_role="Head teacher",
        referral_date=D(2016, 5, 5),
        summary="Pushed a child against a wall",  # unchanged: not in the history
    )
    event = history_for(lado_case).first()
    assert event.action == "update"
    assert event.actor == manager
    assert event.changes == {
        "subject_role": ["Class teacher", "Head teacher"],
        "referral_date": ["2016-05-04", "2016-05-05"],
    }
    assert [e.action for e in history_for(lado_case)] == ["update", "create"]
    lado_case.refresh_from_db()
    assert lado_case.version == 2


def test_an_update_that_changes_nothing_writes_no_history(officer, lado_case):
    before = history_for(lado_case).count()
    case = services.case_update(
        acting_user=officer,
        case=lado_case,
        expected_version=lado_case.version,
        subject_role=lado_case.subject_role,
    )
    assert history_for(lado_case).count() == before
    assert case.version == lado_case.version


def test_a_refused_update_leaves_no_history_and_no_change(officer, lado_case):
    before = history_for(lado_case).count()
    with pytest.raises(RecordInvalid) as exc:
        services.case_update(
            acting_user=officer,
            case=lado_case,
            expected_version=lado_case.version,
            subject_role="Caretaker",
            referral_date=D(2016, 5, 1),
        )
    assert exc.value.problems[0][0] == "referral_date"
    assert history_for(lado_case).count() == before
    lado_case.refresh_from_db()
    assert (lado_case.subject_role, lado_case.referral_date) == ("Class teacher", D(2016, 5, 4))
    assert lado_case.version == 1


def test_when_the_history_cannot_be_written_the_change_is_not_saved(
    officer, lado_case, monkeypatch
):
    def broken_save(self, *args, **kwargs):
        raise RuntimeError("audit table unavailable")

    monkeypatch.setattr(AuditEvent, "save", broken_save)
    with pytest.raises(RuntimeError):
        services.case_update(
            acting_user=officer,
            case=lado_case,
            expected_version=lado_case.version,
            subject_role="Caretaker",
        )
    monkeypatch.undo()
    lado_case.refresh_from_db()
    assert lado_case.subject_role == "Class teacher"
    assert lado_case.version == 1
    assert history_for(lado_case).count() == 1


def test_a_new_case_whose_history_fails_is_not_saved(officer, monkeypatch):
    def broken_save(self, *args, **kwargs):
        raise RuntimeError("audit table unavailable")

    monkeypatch.setattr(AuditEvent, "save", broken_save)
    with pytest.raises(RuntimeError):
        referral(officer)
    monkeypatch.undo()
    assert Case.objects.count() == 0


# ---- optimistic concurrency -------------------------------------------------------------


def test_a_stale_copy_is_refused_and_the_colleagues_change_is_kept(officer, manager, lado_case):
    mine = Case.objects.get(pk=lado_case.pk)
    theirs = Case.objects.get(pk=lado_case.pk)
    services.case_update(
        acting_user=manager,
        case=theirs,
        expected_version=theirs.version,
        subject_role="Deputy head",
    )
    events = history_for(lado_case).count()
    with pytest.raises(StaleRecord, match="Someone else changed this record"):
        services.case_update(
            acting_user=officer,
            case=mine,
            expected_version=mine.version,
            subject_role="Caretaker",
        )
    stored = Case.objects.get(pk=lado_case.pk)
    assert stored.subject_role == "Deputy head"
    assert stored.version == 2
    assert history_for(lado_case).count() == events


def test_a_stale_outcome_is_refused(officer, lado_case):
    services.case_update(
        acting_user=officer, case=lado_case, expected_version=1, subject_role="Supply teacher"
    )
    with pytest.raises(StaleRecord):
        services.outcome_record(
            acting_user=officer,
            case=lado_case,
            expected_version=1,
            outcome="substantiated",
            outcome_date=D(2016, 6, 1),
        )
    lado_case.refresh_from_db()
    assert lado_case.outcome == "pending"
    assert lado_case.is_open


def test_adding_a_meeting_makes_earlier_copies_stale(officer, lado_case, strategy):
    version = lado_case.version
    services.meeting_add(
        acting_user=officer, case=lado_case, meeting_type=strategy, date=D(2016, 5, 10)
    )
    with pytest.raises(StaleRecord):
        services.case_update(
            acting_user=officer, case=lado_case, expected_version=version, subject_role="X"
        )
    lado_case.refresh_from_db()
    assert lado_case.subject_role == "Class teacher"


def test_each_saved_change_moves_the_version_on(officer, lado_case):
    case = lado_case
    for role in ("A", "B", "C"):
        case = services.case_update(
            acting_user=officer, case=case, expected_version=case.version, subject_role=role
        )
    stored = Case.objects.get(pk=lado_case.pk)
    assert stored.version == 4
    assert stored.subject_role == "C"
    changes = [e.changes["subject_role"] for e in history_for(lado_case) if e.action == "update"]
    assert changes == [["B", "C"], ["A", "B"], ["Class teacher", "A"]]


# ---- meetings ---------------------------------------------------------------------------


def test_a_meeting_is_recorded_with_its_history(officer, lado_case, strategy, school, council):
    meeting = services.meeting_add(
        acting_user=officer,
        case=lado_case,
        meeting_type=strategy,
        date=D(2016, 5, 10),
        agencies=[school, council],
        decisions="Suspend pending investigation",
    )
    assert list(lado_case.meetings.all()) == [meeting]
    event = history_for(lado_case).first()
    assert event.changes["meeting"] == [None, "Strategy meeting on 10/05/2016"]
    assert sorted(event.changes["meeting agencies"][1]) == sorted([school.name, council.name])
    assert event.summary == "Strategy meeting recorded"


def test_a_meeting_before_the_referral_is_refused(officer, lado_case, strategy):
    with pytest.raises(RecordInvalid) as exc:
        services.meeting_add(
            acting_user=officer, case=lado_case, meeting_type=strategy, date=D(2016, 5, 3)
        )
    assert [f for f, _ in exc.value.problems] == ["date"]
    assert Meeting.objects.count() == 0
    assert history_for(lado_case).count() == 1


@pytest.mark.parametrize("earlier_meeting", [False, True])
def test_a_meeting_in_the_future_is_refused(officer, lado_case, strategy, earlier_meeting):
    if earlier_meeting:
        services.meeting_add(
            acting_user=officer, case=lado_case, meeting_type=strategy, date=D(2016, 5, 10)
        )
    count = Meeting.objects.count()
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with pytest.raises(RecordInvalid) as exc:
        services.meeting_add(
            acting_user=officer, case=lado_case, meeting_type=strategy, date=tomorrow
        )
    assert exc.value.problems[0][0] == "date"
    assert "in the future" in exc.value.problems[0][1]
    assert Meeting.objects.count() == count


def test_a_first_meeting_after_the_outcome_is_refused(officer, lado_case, strategy):
    case = services.outcome_record(
        acting_user=officer,
        case=lado_case,
        expected_version=lado_case.version,
        outcome="unfounded",
        outcome_date=D(2016, 6, 1),
    )
    with pytest.raises(RecordInvalid):
        services.meeting_add(
            acting_user=officer, case=case, meeting_type=strategy, date=D(2016, 6, 2)
        )
    assert Meeting.objects.count() == 0


def test_advice_only_contacts_have_no_meetings(officer, strategy):
    case = services.case_create(
        acting_user=officer,
        contact_date=D(2016, 5, 3),
        employer_sector="faith",
        threshold_met=False,
    )
    with pytest.raises(RecordInvalid):
        services.meeting_add(
            acting_user=officer, case=case, meeting_type=strategy, date=D(2016, 5, 3)
        )
    assert Meeting.objects.count() == 0


def test_the_referral_cannot_move_after_its_first_meeting(officer, lado_case, strategy):
    services.meeting_add(
        acting_user=officer, case=lado_case, meeting_type=strategy, date=D(2016, 5, 10)
    )
    lado_case.refresh_from_db()
    with pytest.raises(RecordInvalid) as exc:
        services.case_update(
            acting_user=officer,
            case=lado_case,
            expected_version=lado_case.version,
            referral_date=D(2016, 5, 11),
        )
    assert [f for f, _ in exc.value.problems] == ["strategy_meeting_date"]


def test_a_referral_with_meetings_cannot_become_advice_only(officer, lado_case, strategy):
    services.meeting_add(
        acting_user=officer, case=lado_case, meeting_type=strategy, date=D(2016, 5, 10)
    )
    lado_case.refresh_from_db()
    with pytest.raises(RecordInvalid):
        services.case_update(
            acting_user=officer,
            case=lado_case,
            expected_version=lado_case.version,
            threshold_met=False,
        )
    lado_case.refresh_from_db()
    assert lado_case.threshold_met is True
    assert lado_case.referral_date == D(2016, 5, 4)


def test_meeting_types_are_configurable_with_history(manager):
    mt = services.meeting_type_save(
        acting_user=manager, meeting_type=None, name="Allegation management meeting"
    )
    services.meeting_type_save(
        acting_user=manager,
        meeting_type=mt,
        expected_version=mt.version,
        name="Position of trust meeting",
        order=2,
    )
    events = list(history_for(mt))
    assert [e.action for e in events] == ["update", "create"]
    assert events[0].changes == {
        "name": ["Allegation management meeting", "Position of trust meeting"],
        "order": [0, 2],
    }


# ---- clocks: referral within 1 working day, resolution targets -------------------------


def unsaved(**values):
    case = Case(employer_sector="primary_school", **values)
    case.refresh_status()
    return case


@pytest.mark.parametrize(
    "aware, referred, days, late",
    [
        (D(2017, 4, 12), D(2017, 4, 13), 1, False),  # Wednesday -> Thursday
        (D(2017, 4, 12), D(2017, 4, 18), 2, True),  # over Easter: Thursday and Tuesday
        (D(2017, 4, 13), D(2017, 4, 18), 1, False),  # Thursday -> Tuesday after Easter
        (D(2017, 4, 13), D(2017, 4, 19), 2, True),
        (D(2017, 4, 13), D(2017, 4, 13), 0, False),  # same day
        (D(2016, 12, 23), D(2016, 12, 28), 1, False),  # Christmas 2016, substitute day 27th
        (D(2016, 12, 23), D(2016, 12, 29), 2, True),
        (D(2017, 4, 7), D(2017, 4, 11), 2, True),  # Friday -> Tuesday, no holiday
    ],
)
def test_referral_more_than_one_working_day_late_is_flagged(aware, referred, days, late):
    case = unsaved(
        contact_date=referred, threshold_met=True, employer_aware_date=aware, referral_date=referred
    )
    assert case.referral_working_days == days
    assert case.referral_late is late


def test_referral_clock_needs_a_referral_and_the_awareness_date():
    advice = unsaved(
        contact_date=D(2017, 4, 19), threshold_met=False, employer_aware_date=D(2017, 4, 1)
    )
    no_aware = unsaved(
        contact_date=D(2017, 4, 19), threshold_met=True, referral_date=D(2017, 4, 19)
    )
    assert advice.referral_working_days is None and advice.referral_late is False
    assert no_aware.referral_working_days is None and no_aware.referral_late is False


@override_settings(LADO_REFERRAL_WORKING_DAYS=3)
def test_the_referral_clock_is_configurable():
    case = unsaved(
        contact_date=D(2017, 4, 19),
        threshold_met=True,
        employer_aware_date=D(2017, 4, 12),
        referral_date=D(2017, 4, 19),
    )
    assert case.referral_working_days == 3
    assert case.referral_late is False
    case.contact_date = D(2017, 4, 20)
    assert case.referral_late is True


def test_referral_late_flag_for_a_saved_case(officer):
    case = referral(
        officer,
        contact_date=D(2017, 4, 19),
        referral_date=D(2017, 4, 19),
        employer_aware_date=D(2017, 4, 13),
    )
    case.refresh_from_db()
    assert case.referral_late is True


def test_the_employers_clock_stops_at_the_first_contact_not_the_lados_decision(officer):
    """domain.md: measured to the first contact with the LADO, not to the referral decision.
    Aware on Thursday 13 April 2017; Good Friday and Easter Monday were bank holidays."""
    case = referral(
        officer,
        contact_date=D(2017, 4, 18),  # the next working day: in time
        referral_date=D(2017, 4, 19),  # the LADO's referral a day later does not count
        employer_aware_date=D(2017, 4, 13),
    )
    case.refresh_from_db()
    assert case.referral_working_days == 1
    assert case.referral_late is False


def states(case, today):
    return [(t["label"], t["deadline"], t["state"]) for t in case.resolution_targets(today)]


def test_open_referral_targets_run_then_are_missed():
    case = unsaved(contact_date=D(2016, 5, 4), threshold_met=True, referral_date=D(2016, 5, 4))
    assert case.is_open
    assert states(case, D(2016, 6, 4)) == [
        ("one month", D(2016, 6, 4), "running"),
        ("three months", D(2016, 8, 4), "running"),
        ("twelve months", D(2017, 5, 4), "running"),
    ]
    assert [s for *_, s in states(case, D(2016, 6, 5))] == ["missed", "running", "running"]
    assert [s for *_, s in states(case, D(2017, 5, 5))] == ["missed", "missed", "missed"]
    assert [t["share"] for t in case.resolution_targets(D(2016, 6, 5))] == [80, 90, 100]


def test_closed_referral_targets_are_met_or_missed_by_the_outcome_date():
    case = unsaved(
        contact_date=D(2016, 5, 4),
        threshold_met=True,
        referral_date=D(2016, 5, 4),
        outcome="substantiated",
        outcome_date=D(2016, 7, 1),
    )
    assert not case.is_open
    # Judged at the outcome, whatever the date today.
    for today in (D(2016, 7, 1), D(2019, 1, 1)):
        assert [s for *_, s in states(case, today)] == ["missed", "met", "met"]
    assert case.age_days(D(2019, 1, 1)) == (D(2016, 7, 1) - D(2016, 5, 4)).days


def test_resolution_deadlines_clip_to_the_end_of_the_month():
    case = unsaved(contact_date=D(2017, 1, 31), threshold_met=True, referral_date=D(2017, 1, 31))
    assert states(case, D(2017, 2, 28))[0] == ("one month", D(2017, 2, 28), "running")
    assert states(case, D(2017, 3, 1))[0][2] == "missed"


def test_advice_only_contacts_have_no_resolution_targets_or_age():
    case = unsaved(contact_date=D(2016, 5, 4), threshold_met=False)
    assert not case.is_open
    assert case.resolution_targets(D(2016, 6, 1)) == []
    assert case.age_days(D(2016, 6, 1)) is None


def test_open_case_age_counts_to_today():
    case = unsaved(contact_date=D(2016, 5, 4), threshold_met=True, referral_date=D(2016, 5, 4))
    assert case.age_days(D(2016, 5, 14)) == 10


@override_settings(LADO_RESOLUTION_TARGETS=[("six weeks", 2, 75)])
def test_resolution_targets_are_configurable():
    case = unsaved(contact_date=D(2016, 5, 4), threshold_met=True, referral_date=D(2016, 5, 4))
    assert states(case, D(2016, 6, 30)) == [("six weeks", D(2016, 7, 4), "running")]
