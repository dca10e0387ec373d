"""LADO figures for a financial year: reports.year_report() and `safeguarding report lado`.

Expectations are computed here, in plain Python, from the records each test creates.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import json
from html.parser import HTMLParser

import factory
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguarding.core.periods import FinancialYear
from safeguarding.core.registers import flatten
from safeguarding.lado.codes import EMPLOYER_SECTORS, OUTCOME_CODES, OUTCOMES, SECTOR_CODES
from safeguarding.lado.models import Case, Meeting, MeetingType
from safeguarding.lado.reports import open_case_ages, year_report

D = dt.date
YEAR = FinancialYear(2016)
QUARTERS = ["Q1", "Q2", "Q3", "Q4"]
QUARTER_KEYS = {"Q1", "Q2", "Q3", "Q4", "total"}


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"R-{n:05d}")
    contact_date = D(2016, 5, 3)
    employer_sector = "primary_school"
    threshold_met = True
    referral_date = factory.LazyAttribute(lambda c: c.contact_date if c.threshold_met else None)
    outcome = factory.LazyAttribute(lambda c: "pending" if c.threshold_met else "")

    @factory.post_generation
    def status(obj, create, extracted, **kwargs):
        obj.refresh_status()
        if create:
            obj.save(update_fields=["is_open"])

    @factory.post_generation
    def meetings(obj, create, extracted, **kwargs):
        for day in extracted or ():
            Meeting.objects.create(case=obj, meeting_type=_meeting_type(), date=day)


def _meeting_type():
    return MeetingType.objects.get_or_create(name="Strategy meeting")[0]


def quarter_of(day: dt.date | None, year: FinancialYear) -> str | None:
    """Independent of periods.py: Q1 = April-June of the year's first calendar year."""
    if day is None or not (D(year.start_year, 4, 1) <= day <= D(year.start_year + 1, 3, 31)):
        return None
    return f"Q{(day.month - 4) % 12 // 3 + 1}"


def expected_report(cases, year: FinancialYear) -> dict:
    """cases: dicts with contact_date, threshold_met, referral_date, sector, outcome, meetings."""

    def by_quarter(items, date_key):
        counts = dict.fromkeys(QUARTERS, 0)
        for item in items:
            q = quarter_of(item[date_key], year)
            if q:
                counts[q] += 1
        counts["total"] = sum(counts[q] for q in QUARTERS)
        return counts

    referrals = [c for c in cases if c["threshold_met"]]
    in_year = [c for c in referrals if quarter_of(c["referral_date"], year)]
    outcomes = {code: sum(1 for c in in_year if c["outcome"] == code) for code in OUTCOME_CODES}
    outcomes["total"] = len(in_year)
    by_sector = {}
    for sector in SECTOR_CODES:
        mine = [c for c in in_year if c["sector"] == sector]
        by_sector[sector] = {
            code: sum(1 for c in mine if c["outcome"] == code) for code in OUTCOME_CODES
        }
        by_sector[sector]["total"] = len(mine)
    return {
        "contacts": by_quarter(cases, "contact_date"),
        "referrals": by_quarter(referrals, "referral_date"),
        "strategy_meetings": by_quarter([c for c in referrals if c["meetings"]], "referral_date"),
        "substantiated": by_quarter(
            [c for c in referrals if c["outcome"] == "substantiated"], "referral_date"
        ),
        "outcomes": outcomes,
        "outcomes_by_sector": by_sector,
        "resolution": expected_resolution(referrals, year),
    }


def months_later(day: dt.date, months: int) -> dt.date:
    """Independent of periods.add_months: the same day n calendar months on, or the last
    day of that month when it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return D(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def expected_resolution(referrals, year: FinancialYear) -> dict:
    """Referrals by quarter of referral; concluded (final outcome, with its date) on or
    before referral + 1, 3, 12 months (cumulative), after 12 months, or not concluded."""
    out = {}
    for q in [*QUARTERS, "total"]:
        mine = [
            c
            for c in referrals
            if quarter_of(c["referral_date"], year)
            and q in ("total", quarter_of(c["referral_date"], year))
        ]
        done = [c for c in mine if c["outcome"] != "pending" and c.get("outcome_date")]
        row = {"referrals": len(mine)}
        for key, months in (
            ("within_1_month", 1),
            ("within_3_months", 3),
            ("within_12_months", 12),
        ):
            row[key] = sum(
                1 for c in done if c["outcome_date"] <= months_later(c["referral_date"], months)
            )
        row["over_12_months"] = sum(
            1 for c in done if c["outcome_date"] > months_later(c["referral_date"], 12)
        )
        row["not_concluded"] = len(mine) - len(done)
        for key in list(row)[1:]:
            row[f"{key}_pct"] = round(100 * row[key] / len(mine), 1) if mine else None
        out[q] = row
    out["targets"] = {"within_1_month": 80, "within_3_months": 90, "within_12_months": 100}
    return out


def make(
    contact,
    threshold=True,
    referral=None,
    sector="primary_school",
    outcome=None,
    meetings=(),
    outcome_date=None,
):
    """Creates a case and returns the plain description expected_report() reads."""
    referral = (referral or contact) if threshold else None
    outcome = (outcome or "pending") if threshold else ""
    if outcome and outcome != "pending" and outcome_date is None:
        outcome_date = max([referral, *meetings])
    CaseFactory(
        contact_date=contact,
        threshold_met=threshold,
        referral_date=referral,
        employer_sector=sector,
        outcome=outcome,
        outcome_date=outcome_date,
        meetings=list(meetings),
    )
    return {
        "contact_date": contact,
        "threshold_met": threshold,
        "referral_date": referral,
        "sector": sector,
        "outcome": outcome,
        "outcome_date": outcome_date,
        "meetings": list(meetings),
    }


# ---- shape ------------------------------------------------------------------------------


def test_the_report_has_exactly_the_contract_keys(db):
    report = year_report(YEAR)
    assert set(report) == {
        "contacts",
        "referrals",
        "strategy_meetings",
        "substantiated",
        "outcomes",
        "outcomes_by_sector",
        "resolution",
    }
    for key in ("contacts", "referrals", "strategy_meetings", "substantiated"):
        assert set(report[key]) == QUARTER_KEYS
        assert all(v == 0 for v in report[key].values())
    assert set(report["outcomes"]) == set(OUTCOME_CODES) | {"total"}
    assert set(report["outcomes_by_sector"]) == set(SECTOR_CODES)
    for counts in report["outcomes_by_sector"].values():
        assert set(counts) == set(OUTCOME_CODES) | {"total"}
        assert all(v == 0 for v in counts.values())


def test_every_outcome_code_is_reported():
    assert OUTCOME_CODES == [
        "substantiated",
        "unsubstantiated",
        "unfounded",
        "false",
        "malicious",
        "no_further_action",
        "pending",
    ]


# ---- boundaries and which date counts --------------------------------------------------


@pytest.mark.parametrize(
    "day, quarter",
    [
        (D(2016, 3, 31), None),
        (D(2016, 4, 1), "Q1"),
        (D(2016, 6, 30), "Q1"),
        (D(2016, 7, 1), "Q2"),
        (D(2016, 9, 30), "Q2"),
        (D(2016, 10, 1), "Q3"),
        (D(2016, 12, 31), "Q3"),
        (D(2017, 1, 1), "Q4"),
        (D(2017, 3, 31), "Q4"),
        (D(2017, 4, 1), None),
    ],
)
def test_quarter_boundaries(db, day, quarter):
    make(day, threshold=True, outcome="substantiated", meetings=[day])
    report = year_report(YEAR)
    for key in ("contacts", "referrals", "strategy_meetings", "substantiated"):
        expected = {q: int(q == quarter) for q in QUARTERS}
        expected["total"] = int(quarter is not None)
        assert report[key] == expected, key
    assert report["outcomes"]["substantiated"] == int(quarter is not None)


def test_contacts_count_by_contact_date_and_referrals_by_referral_date(db):
    cases = [
        make(D(2016, 6, 30), referral=D(2016, 7, 1)),  # contact Q1, referral Q2
        make(D(2016, 3, 31), referral=D(2016, 4, 1), outcome="malicious"),  # contact last year
        make(D(2017, 3, 31), referral=D(2017, 4, 3)),  # referral next year
        make(D(2016, 8, 1), threshold=False),  # advice only: a contact, not a referral
    ]
    report = year_report(YEAR)
    assert report["contacts"] == {"Q1": 1, "Q2": 1, "Q3": 0, "Q4": 1, "total": 3}
    assert report["referrals"] == {"Q1": 1, "Q2": 1, "Q3": 0, "Q4": 0, "total": 2}
    assert report["outcomes"]["malicious"] == 1
    assert report["outcomes"]["total"] == 2
    assert report == expected_report(cases, YEAR)
    previous = year_report(YEAR.previous())
    assert previous["contacts"]["Q4"] == 1
    assert previous["referrals"]["total"] == 0
    assert year_report(FinancialYear(2017))["referrals"]["Q1"] == 1


def test_strategy_meetings_count_referrals_with_a_meeting_once(db):
    cases = [
        make(D(2016, 6, 20), meetings=[D(2016, 6, 25), D(2016, 7, 10), D(2016, 8, 1)]),
        make(D(2016, 6, 21), meetings=[D(2016, 7, 2)]),  # meeting next quarter: still Q1
        make(D(2016, 6, 22)),  # no meeting
        make(D(2016, 11, 1), meetings=[D(2016, 11, 2)]),
    ]
    report = year_report(YEAR)
    assert report["strategy_meetings"] == {"Q1": 2, "Q2": 0, "Q3": 1, "Q4": 0, "total": 3}
    assert report["referrals"]["Q1"] == 3
    assert report == expected_report(cases, YEAR)


def test_substantiated_and_outcomes_by_sector(db):
    cases = [
        make(D(2016, 5, 1), sector="secondary_school", outcome="substantiated"),
        make(D(2016, 5, 2), sector="secondary_school", outcome="unfounded"),
        make(D(2016, 10, 2), sector="health", outcome="substantiated"),
        make(D(2017, 2, 2), sector="health", outcome="pending"),
        make(D(2017, 2, 3), sector="health", outcome="no_further_action"),
        make(D(2017, 2, 4), sector="police", threshold=False),
    ]
    report = year_report(YEAR)
    assert report["substantiated"] == {"Q1": 1, "Q2": 0, "Q3": 1, "Q4": 0, "total": 2}
    assert report["outcomes_by_sector"]["secondary_school"]["total"] == 2
    assert report["outcomes_by_sector"]["health"] == dict(
        {code: 0 for code in OUTCOME_CODES},
        substantiated=1,
        pending=1,
        no_further_action=1,
        total=3,
    )
    assert report["outcomes_by_sector"]["police"]["total"] == 0  # advice is not a referral
    assert report == expected_report(cases, YEAR)


def test_a_referral_with_a_blank_outcome_counts_as_pending(db):
    Case.objects.create(
        reference="OLD",
        contact_date=D(2016, 5, 1),
        referral_date=D(2016, 5, 1),
        threshold_met=True,
        employer_sector="faith",
        outcome="",
    )
    report = year_report(YEAR)
    assert report["outcomes"]["pending"] == 1
    assert report["outcomes"]["total"] == report["referrals"]["total"] == 1


# ---- property: random data --------------------------------------------------------------

BOUNDARIES = [
    D(2016, 3, 31),
    D(2016, 4, 1),
    D(2016, 6, 30),
    D(2016, 7, 1),
    D(2016, 9, 30),
    D(2016, 10, 1),
    D(2016, 12, 31),
    D(2017, 1, 1),
    D(2017, 3, 31),
    D(2017, 4, 1),
]
days = st.one_of(
    st.sampled_from(BOUNDARIES), st.dates(min_value=D(2015, 12, 1), max_value=D(2017, 6, 30))
)
case_specs = st.fixed_dictionaries(
    {
        "contact": days,
        "threshold": st.booleans(),
        "delay": st.sampled_from([0, 0, 1, 2, 30, 95]),
        "sector": st.sampled_from(SECTOR_CODES),
        "outcome": st.sampled_from(OUTCOME_CODES),
        "meetings": st.lists(st.integers(min_value=0, max_value=40), max_size=3),
    }
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(specs=st.lists(case_specs, max_size=25))
def test_figures_on_random_data_add_up(db, specs):
    Meeting.objects.all().delete()
    Case.objects.all().delete()
    cases = []
    for spec in specs:
        referral = spec["contact"] + dt.timedelta(days=spec["delay"])
        cases.append(
            make(
                spec["contact"],
                threshold=spec["threshold"],
                referral=referral,
                sector=spec["sector"],
                outcome=spec["outcome"],
                meetings=sorted(referral + dt.timedelta(days=d) for d in spec["meetings"]),
            )
        )
    report = year_report(YEAR)
    assert report == expected_report(cases, YEAR)

    outcomes = report["outcomes"]
    assert sum(outcomes[c] for c in OUTCOME_CODES) == outcomes["total"]
    assert outcomes["total"] == report["referrals"]["total"]
    for code in OUTCOME_CODES:
        assert sum(s[code] for s in report["outcomes_by_sector"].values()) == outcomes[code]
    assert sum(s["total"] for s in report["outcomes_by_sector"].values()) == outcomes["total"]
    for key in ("contacts", "referrals", "strategy_meetings", "substantiated"):
        assert sum(report[key][q] for q in QUARTERS) == report[key]["total"]
    for q in QUARTERS + ["total"]:
        assert report["strategy_meetings"][q] <= report["referrals"][q]
        assert report["substantiated"][q] <= report["referrals"][q]
    assert report["referrals"]["total"] <= len(cases)


# ---- the command: json, csv, html carry the same figures -------------------------------


@pytest.fixture
def sample(db):
    return [
        make(
            D(2016, 4, 1),
            sector="primary_school",
            outcome="substantiated",
            meetings=[D(2016, 4, 5)],
        ),
        make(D(2016, 7, 1), sector="primary_school", outcome="unsubstantiated"),
        make(D(2016, 12, 31), sector="health", outcome="pending", meetings=[D(2017, 1, 3)]),
        make(D(2017, 3, 31), sector="foster_carer_independent", outcome="malicious"),
        make(D(2016, 9, 1), threshold=False, sector="faith"),
        make(D(2015, 9, 1), sector="health", outcome="false"),  # previous year
    ]


def report_output(*args) -> str:
    out = io.StringIO()
    call_command("report", "lado", *args, stdout=out)
    return out.getvalue()


def test_json_output_is_the_report(sample):
    figures = json.loads(report_output("--year", "2016-17", "--format", "json"))
    assert figures == year_report(YEAR)
    assert figures == expected_report(sample, YEAR)


@pytest.mark.parametrize("year", ["2016/17", "2016-2017", "2016"])
def test_other_year_forms_give_the_same_figures(sample, year):
    assert json.loads(report_output("--year", year)) == expected_report(sample, YEAR)


def test_json_is_the_default_format(sample):
    assert json.loads(report_output("--year", "2016-17")) == expected_report(sample, YEAR)


def test_csv_output_carries_the_same_figures(sample):
    text = report_output("--year", "2016-17", "--format", "csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["figure", "value"]
    figures = {name: _number(value) for name, value in rows[1:]}
    expected = dict(flatten(expected_report(sample, YEAR)))
    assert figures == expected
    assert figures["contacts.Q1"] == 1
    assert figures["outcomes_by_sector.health.pending"] == 1
    resolution = 5 * (1 + 5 + 5) + 3  # per quarter and total: referrals, 5 counts, 5 shares
    assert len(rows) - 1 == 4 * 5 + (len(OUTCOME_CODES) + 1) * (1 + len(SECTOR_CODES)) + resolution


def _number(text: str):
    if text in ("", "None"):
        return None
    return int(text) if text.lstrip("-").isdigit() else float(text)


class Tables(HTMLParser):
    """Every <table>: its caption and its rows of cell texts."""

    def __init__(self):
        super().__init__()
        self.tables: list[dict] = []
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "caption":
            self._caption = []
        elif tag == "tr":
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "caption":
            self.tables[-1]["caption"] = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag in ("td", "th"):
            self.tables[-1]["rows"][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        elif self._caption is not None:
            self._caption.append(data)


def test_html_output_carries_the_same_figures(sample):
    html = report_output("--year", "2016-17", "--format", "html")
    expected = expected_report(sample, YEAR)
    previous = expected_report(sample, YEAR.previous())
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert "2016-17" in html
    parser = Tables()
    parser.feed(html)
    table1, table2, table3, *sectors, resolution = parser.tables

    body = {row[0]: row[1:] for row in table1["rows"][1:]}
    for q in QUARTERS:
        assert body[q] == [str(expected["contacts"][q]), str(previous["contacts"][q])]
    assert body["Total"] == [str(expected["contacts"]["total"]), str(previous["contacts"]["total"])]

    body = {row[0]: row[1:] for row in table2["rows"][1:]}
    for q in QUARTERS + ["Total"]:
        key = q if q != "Total" else "total"
        referrals, meetings, substantiated, before = body[q]
        assert referrals == str(expected["referrals"][key])
        assert meetings.split(" ")[0] == str(expected["strategy_meetings"][key])
        assert substantiated.split(" ")[0] == str(expected["substantiated"][key])
        assert before == str(previous["referrals"][key])

    body = {row[0]: row[1:] for row in table3["rows"][1:]}
    for code, label in OUTCOMES:
        assert body[label][0] == str(expected["outcomes"][code])
        assert body[label][2] == str(previous["outcomes"][code])
    assert body["Total"][0] == str(expected["outcomes"]["total"])
    assert body["Substantiated"][1] == "25.0%"  # 1 of 4 referrals in the year

    labels = dict(EMPLOYER_SECTORS)
    shown = {}
    for table in sectors:
        label, rest = table["caption"].split(": ", 1)
        shown[label] = int(rest.split(" ")[0])
    assert shown == {
        labels[code]: counts["total"]
        for code, counts in expected["outcomes_by_sector"].items()
        if counts["total"] or previous["outcomes_by_sector"][code]["total"]
    }

    body = {row[0]: row[1:] for row in resolution["rows"][1:]}
    keys = ["within_1_month", "within_3_months", "within_12_months", "over_12_months"]
    for q in QUARTERS + ["Total"]:
        figures = expected["resolution"][q if q != "Total" else "total"]
        cells = [cell.split(" ")[0] for cell in body[q]]
        assert cells == [str(figures[k]) for k in ["referrals", *keys, "not_concluded"]]
    assert body["Target"][1:4] == ["80.0%", "90.0%", "100.0%"]


def test_a_year_with_no_records_still_reports_zeros(db):
    figures = json.loads(report_output("--year", "2030-31"))
    assert figures["contacts"] == dict.fromkeys(QUARTER_KEYS, 0)
    assert figures["outcomes"]["total"] == 0


@pytest.mark.parametrize(
    "args, message",
    [
        (["--year", "2016-18"], "the years must follow on"),
        (["--year", "next year"], "is not a financial year"),
        ([], "give --year"),
        (["--period", "2016-Q1"], "reports by --year"),
    ],
)
def test_bad_report_arguments_are_refused(db, args, message):
    with pytest.raises(CommandError, match=message):
        report_output(*args)


def test_an_unknown_register_is_refused(db):
    with pytest.raises(CommandError, match="unknown register"):
        call_command("report", "nope", "--year", "2016-17", stdout=io.StringIO())


# ---- the open-case worklist: ages against the resolution targets -----------------------


def test_open_referrals_by_age_against_the_resolution_targets(db):
    today = D(2017, 6, 15)
    ages = {
        D(2017, 6, 15): "within one month",
        D(2017, 5, 15): "within one month",  # exactly one month
        D(2017, 5, 14): "within three months",
        D(2017, 3, 15): "within three months",
        D(2017, 3, 14): "within twelve months",
        D(2016, 6, 15): "within twelve months",
        D(2016, 6, 14): "older",
    }
    for day in ages:
        make(day)
    make(D(2017, 6, 1), outcome="substantiated")  # closed: not on the worklist
    make(D(2017, 6, 1), threshold=False)  # advice: never open
    bands = open_case_ages(today=today)
    expected = dict.fromkeys(
        ["within one month", "within three months", "within twelve months", "older"], 0
    )
    for band in ages.values():
        expected[band] += 1
    assert bands == expected
