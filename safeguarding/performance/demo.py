"""Demo performance framework: the seed report's tables as indicators and values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from safeguarding.core import registers
from safeguarding.core.demo import demo_user
from safeguarding.core.models import User
from safeguarding.core.periods import FinancialYear, Period
from safeguarding.core.services import user_update

from . import services
from .models import DataReturn

MONTHS_2016 = [p.label for p in Period.parse("2016-17").months()]


def _series(indicator, agency, labels, values, officer, commentary=None, parts=None):
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        if value is None and not parts:
            continue
        num = den = None
        if parts:
            num, den = parts[i]
            value = None
        services.value_save(
            acting_user=officer,
            indicator=indicator,
            period=label,
            agency=agency,
            value=Decimal(str(value)) if value is not None else None,
            numerator=num,
            denominator=den,
            commentary=(commentary or {}).get(label, ""),
        )


def _submit_unapproved(officer, indicator, agency, data_return):
    services.value_save(
        acting_user=officer,
        indicator=indicator,
        period=data_return.period,
        agency=agency,
        data_return=data_return,
        value=None,
        numerator=Decimal(15),
        denominator=Decimal(15),
        commentary="Every child seen within 28 days.",
    )
    services.return_submit(acting_user=officer, data_return=data_return)


def load(*, agencies, users, seed: int = 2017):
    council, police, ccg, camhs = agencies[0], agencies[2], agencies[3], agencies[5]
    officer = demo_user(
        "performance@northbank.example", "Ruth Adeyemi", council, {"performance": "manager"}
    )
    camhs_user = demo_user(
        "data@camhs.example", "Oliver Grant", camhs, {"performance": "contributor"}
    )
    board = User.objects.get(email="board@northbank.example")
    user_update(
        acting_user=None,
        user=board,
        expected_version=board.version,
        grants={"performance": "reader"},
    )

    def group(name, order):
        return services.group_save(acting_user=officer, group=None, name=name, order=order)

    met = group("Missing, exploited and trafficked (MET)", 1)
    lac = group("Looked after children", 2)
    mh = group("Child and adolescent mental health (CAMHS)", 3)
    crime = group("Safer communities: youth violence", 4)
    lado = group("Allegations against staff (LADO)", 5)

    def ind(ref, name, grp, agency, frequency, unit="count", **kw):
        return services.indicator_save(
            acting_user=officer,
            indicator=None,
            reference=ref,
            name=name,
            group=grp,
            owning_agency=agency,
            frequency=frequency,
            unit=unit,
            **kw,
        )

    # Seed 3.2: the MET multi-agency dataset.
    cse_contacts = ind(
        "MET-1",
        "Contacts to children's social care where child sexual exploitation is a presenting need",
        met,
        council,
        "monthly",
        polarity="none",
        disaggregation="victims / perpetrators",
        definition="Presenting needs are recorded at the point of contact.",
    )
    cse_assessed = ind(
        "MET-2",
        "Assessments completed where child sexual exploitation is a risk factor",
        met,
        council,
        "monthly",
        polarity="none",
        disaggregation="victims / perpetrators",
    )
    _series(
        cse_contacts,
        council,
        MONTHS_2016[:3],
        [4, 10, 20],
        officer,
        {
            "2016-04": "Presenting needs are recorded at the point of contact (not referral): "
            "these are contacts where CSE was stated as a risk factor."
        },
    )
    _series(
        cse_assessed,
        council,
        MONTHS_2016[:3],
        [7, 9, 11],
        officer,
        {"2016-04": "Only assessments completed each month where CSE was identified."},
    )
    if "missing-episodes" in registers.REGISTERS:
        for ref, key, label in [
            ("MET-3a", "care_missing", "missing from care"),
            ("MET-3b", "home_missing", "missing from home"),
            ("MET-3c", "care_absent", "absent from care"),
            ("MET-3d", "home_absent", "absent from home"),
        ]:
            ind(
                ref,
                f"Episodes {label}",
                met,
                council,
                "monthly",
                polarity="none",
                source="computed",
                computed_value=f"missing-episodes:by_month.{{month}}.{key}",
            )
        ind(
            "MET-4",
            "Return home interviews offered within 72 hours",
            met,
            council,
            "yearly",
            unit="percent",
            polarity="higher",
            target=Decimal(90),
            tolerance=Decimal(10),
            source="computed",
            computed_numerator="missing-episodes:return_interviews.offered_within_72_hours",
            computed_denominator="missing-episodes:return_interviews.missing_episodes",
        )

    # Seed chapter 8: looked-after children.
    lac_count = ind(
        "LAC-1",
        "Looked after children at the end of the month",
        lac,
        council,
        "monthly",
        polarity="none",
        aggregation="snapshot",  # a quarter's or a year's figure is the one at its end
    )
    _series(
        lac_count,
        council,
        ["2016-03"] + MONTHS_2016,
        [463, 468, 461, 448, 448, 438, 444, 440, 472, 458, 457, 458, 459],
        officer,
    )
    rate = ind(
        "LAC-2",
        "Looked after children per 10,000 children",
        lac,
        council,
        "yearly",
        unit="rate_per_10000",
        polarity="none",
        definition="Children looked after on 31 March per 10,000 children under 18 "
        "(ONS mid-year estimate, a setting).",
    )
    services.value_save(
        acting_user=officer,
        indicator=rate,
        period="2016-17",
        agency=council,
        numerator=Decimal(459),
        denominator=None,
        value=None,
        commentary="Stable through the year at about 460, closer to our statistical neighbours.",
    )
    services.benchmark_save(
        acting_user=officer,
        indicator=rate,
        year="2016-17",
        kind="statistical_neighbours",
        value=Decimal("65.1"),
    )
    services.benchmark_save(
        acting_user=officer, indicator=rate, year="2016-17", kind="england", value=Decimal("60.0")
    )
    stability = ind(
        "LAC-3",
        "Children under 16 looked after for 2.5+ years in the same placement for 2+ years",
        lac,
        council,
        "quarterly",
        unit="percent",
        polarity="higher",
        target=Decimal(72),
        tolerance=Decimal(5),
        aggregation="snapshot",  # children in care at the quarter's end: a stock, not a flow
    )
    _series(
        stability,
        council,
        [f"2016-Q{q}" for q in range(1, 5)],
        [None] * 4,
        officer,
        parts=[
            (Decimal(75), Decimal(110)),
            (Decimal(77), Decimal(109)),
            (Decimal(80), Decimal(112)),
            (Decimal(82), Decimal(113)),
        ],
    )
    health = ind(
        "LAC-4",
        "Initial health assessments within 28 days of becoming looked after",
        lac,
        ccg,
        "monthly",
        unit="percent",
        polarity="higher",
        target=Decimal(97),
        tolerance=Decimal(5),
    )
    health_parts = [
        (16, 17),
        (12, 12),
        (8, 9),
        (14, 15),
        (10, 10),
        (11, 13),
        (15, 16),
        (9, 9),
        (13, 14),
        (12, 12),
        (17, 18),
        (10, 11),
    ]
    _series(
        health,
        ccg,
        MONTHS_2016,
        [None] * 12,
        officer,
        parts=[(Decimal(a), Decimal(b)) for a, b in health_parts],
    )

    # Seed 9.2: CAMHS paired CGAS.
    eligible = [503, 471, 442, 483, 459, 422, 445, 433, 423, 426, 410, 396]
    recorded = [98.4, 97.7, 97.7, 99, 98, 98, 97, 96, 96, 97, 97, 97]
    improved = [72.5, 71.7, 70.8, 71, 71, 71, 71, 71, 70, 69, 70, 70]
    cgas_n = ind(
        "CAMHS-1",
        "Patients eligible for paired CGAS",
        mh,
        camhs,
        "monthly",
        polarity="none",
        aggregation="snapshot",  # the caseload at the month's end: months do not add up
    )
    cgas_rec = ind(
        "CAMHS-2",
        "Paired CGAS recorded",
        mh,
        camhs,
        "monthly",
        unit="percent",
        polarity="higher",
        target=Decimal(95),
        tolerance=Decimal(2),
        aggregation="latest",  # returned as percentages only: no parts to add up
    )
    cgas_imp = ind(
        "CAMHS-3",
        "Patients showing improvement on CGAS",
        mh,
        camhs,
        "monthly",
        unit="percent",
        polarity="higher",
        aggregation="latest",
    )
    _series(cgas_n, camhs, MONTHS_2016, eligible, camhs_user)
    _series(cgas_rec, camhs, MONTHS_2016, recorded, camhs_user)
    _series(cgas_imp, camhs, MONTHS_2016, improved, camhs_user)

    # Seed 9.1: youth violence, year on year.
    for ref, name, before, after in [
        ("CR-1", "Serious youth violence offences", 251, 258),
        ("CR-2", "Youth violence offences (a wider group of violent offences)", 731, 722),
        ("CR-3", "Knife crime with injury, victims under 25", 118, 109),
    ]:
        crime_ind = ind(ref, name, crime, police, "yearly", polarity="lower")
        _series(crime_ind, police, ["2015-16", "2016-17"], [before, after], officer)

    # LADO figures, computed from the LADO register.
    ind(
        "LADO-1",
        "LADO referrals",
        lado,
        council,
        "quarterly",
        polarity="none",
        source="computed",
        computed_value="lado:referrals.{quarter}",
    )
    ind(
        "LADO-2",
        "Contacts meeting the threshold for a LADO referral",
        lado,
        council,
        "quarterly",
        unit="percent",
        polarity="none",
        source="computed",
        computed_numerator="lado:referrals.{quarter}",
        computed_denominator="lado:contacts.{quarter}",
    )

    # Returns: 2016-17 approved; last month's returns are late (the CAMHS one open), but
    # the CCG's, submitted, awaits approval.
    for label in MONTHS_2016:
        for r in services.returns_open(acting_user=officer, period=Period.parse(label)):
            DataReturn.objects.filter(pk=r.pk).update(status="approved")
    for label in ("2016-Q1", "2016-Q2", "2016-Q3", "2016-Q4", "2015-16", "2016-17"):
        for r in services.returns_open(acting_user=officer, period=Period.parse(label)):
            DataReturn.objects.filter(pk=r.pk).update(status="approved")
    from safeguarding.performance.models import IndicatorValue

    for value in IndicatorValue.objects.filter(data_return__isnull=True):
        value.data_return = DataReturn.objects.filter(
            owning_agency=value.owning_agency, period=value.period
        ).first()
        value.save(update_fields=["data_return"])
    today = dt.date.today()
    year = FinancialYear.containing(today)
    previous_month = today.replace(day=1) - dt.timedelta(days=1)
    late = Period.parse(f"{previous_month.year}-{previous_month.month:02d}")
    services.returns_open(acting_user=officer, period=late)
    DataReturn.objects.filter(period=late.label).update(
        due_date=min(today - dt.timedelta(days=1), late.end + dt.timedelta(days=21))
    )
    # The CCG's return for that month is submitted and awaits approval: its 100% would be
    # green, but until the business unit approves it, board members see "No data" for
    # LAC-4 that month and the performance lead sees it marked "Awaiting approval".
    ccg_return = DataReturn.objects.get(period=late.label, owning_agency=ccg)
    if ccg_return.status == "open" and not ccg_return.values.exists():
        _submit_unapproved(officer, health, ccg, ccg_return)
    del year
    return [
        (
            "performance@northbank.example",
            "performance lead (manager): indicators, returns, approval, dashboard",
        ),
        ("data@camhs.example", "CAMHS data officer (contributor): enters the CAMHS return"),
    ]
