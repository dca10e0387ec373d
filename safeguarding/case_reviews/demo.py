"""Demo case reviews. 2016-17 follows the seed report's section 3.5: Case RSW (a serious
case review published jointly with Croydon, five learning themes, actions almost
complete) and two completed but unpublished reviews; later years add rapid reviews, an
LCSPR in progress and a "no review" decision, so the clocks and worklist are alive."""

from __future__ import annotations

import datetime as dt

from safeguarding.actions import services as action_services
from safeguarding.core.demo import demo_user
from safeguarding.core.workdays import add_working_days

from . import services
from .codes import THEMES
from .models import ReviewType

USERS = [
    (
        "reviews@northbank.example",
        "Nicky Pearce",
        0,
        {"case_reviews": "manager", "actions": "officer"},
        "partnership business unit: case reviews manager, closes actions",
    ),
    (
        "reviews.police@northbank.example",
        "DS Mark Ellis",
        2,
        {"case_reviews": "contributor", "actions": "contributor"},
        "police reviews lead: own agency's chronologies and actions",
    ),
    (
        "reviews.health@northbank.example",
        "Dr Ruth Adeyemi",
        4,
        {"case_reviews": "contributor", "actions": "contributor"},
        "hospital trust named doctor: own agency's chronologies and actions",
    ),
    (
        "reviews.board@northbank.example",
        "Cllr Joan Whitfield",
        1,
        {"case_reviews": "reader", "actions": "reader"},
        "board member: case review and action figures only",
    ),
]


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def load(*, agencies, users, seed) -> list[tuple[str, str]]:
    made = {}
    for email, name, agency_index, grants, _description in USERS:
        made[email] = demo_user(email, name, agencies[agency_index], grants)
    unit = made["reviews@northbank.example"]
    council, police, cgg, hospital, camhs = (
        agencies[0],
        agencies[2],
        agencies[3],
        agencies[4],
        agencies[5],
    )
    themes = {name: services.theme_save(acting_user=unit, theme=None, name=name) for name in THEMES}
    types = {t.code: t for t in ReviewType.objects.all()}

    # Case RSW: the seed's published joint serious case review.
    rsw = services.referral_create(
        acting_user=unit,
        title="Case RSW",
        owning_agency=council,
        referral_date=_d("2015-04-20"),
        incident_date=_d("2015-04-13"),
        la_aware_date=_d("2015-04-14"),
        summary="Serious injury to a 6-month-old in the care of her mother and mother's "
        "partner; neglect over the lifetime of three very young children; the family "
        "moved between at least three London boroughs.",
        abuse_or_neglect=True,
        seriously_harmed=True,
        agencies_involved=[council, police, hospital, cgg],
        children=[
            {"first_name": "Rosie", "last_name": "Demo-R", "date_of_birth": _d("2011-06-02")},
            {"first_name": "Sami", "last_name": "Demo-S", "date_of_birth": _d("2013-01-15")},
            {"first_name": "Willow", "last_name": "Demo-W", "date_of_birth": _d("2014-10-10")},
        ],
    )
    rsw = services.referral_update(
        acting_user=unit,
        referral=rsw,
        expected_version=rsw.version,
        notification_date=_d("2015-04-17"),
        decision=types["scr"],
        decision_date=_d("2015-05-12"),
        decision_reasons="Serious harm; neglect known; concern about how agencies across "
        "three boroughs worked together.",
        reviewer="Independent lead reviewer",
        review_start_date=_d("2015-06-01"),
        joint_with="Croydon Safeguarding Children Board",
        terms_of_reference="Agencies' work with the family from the birth of the eldest "
        "child, including transfers between boroughs.",
        findings="Neglect was not recognised over time; early help and statutory services "
        "did not connect; case transfer between boroughs was slow.",
        themes=[themes[n] for n in THEMES[:5]],
        draft_report_date=_d("2016-03-01"),
        final_report_date=_d("2016-06-20"),
        publication_decision="publish",
        published_date=_d("2016-09-15"),
        published_url="https://www.example.org/reviews/case-rsw",
    )
    for agency, requested, returned in (
        (council, "2015-06-05", "2015-07-01"),
        (police, "2015-06-05", "2015-07-10"),
        (hospital, "2015-06-05", "2015-06-29"),
    ):
        c = services.chronology_request(
            acting_user=unit,
            referral=rsw,
            agency=agency,
            requested_date=_d(requested),
            due_date=_d("2015-07-03"),
        )
        services.chronology_return(
            acting_user=unit, chronology=c, expected_version=c.version, returned_date=_d(returned)
        )
    rsw_actions = [
        (
            council,
            "Neglect assessment tool in use across early help and social care",
            "Audit shows the tool used in 80% of neglect cases",
            "2016-12-31",
            "closed",
            "2016-12-12",
        ),
        (
            council,
            "Step-up and step-down protocol between early help and statutory services",
            "Protocol agreed and audited",
            "2017-01-31",
            "closed",
            "2017-01-20",
        ),
        (
            hospital,
            "Young parents pathway for midwifery and health visiting",
            "All parents under 21 offered the pathway",
            "2017-02-28",
            "complete",
            "2017-02-20",
        ),
        (
            police,
            "Procedures briefing on transfers of child protection cases between areas",
            "All public protection staff briefed",
            "2016-11-30",
            "closed",
            "2016-11-25",
        ),
        (
            camhs,
            "Voice of the child recorded in every assessment",
            "Case audit shows the child's views in 90% of records",
            "2017-03-31",
            "on_track",
            None,
        ),
    ]
    for agency, description, measure, due, status, done in rsw_actions:
        action = services.referral_action_add(
            acting_user=unit,
            referral=rsw,
            description=description,
            measure=measure,
            owning_agency=agency,
            owner_person="Named lead",
            due_date=_d(due),
            agreed_date=_d("2016-07-05"),
        )
        if status in ("complete", "closed"):
            action_services.action_update_progress(
                acting_user=unit,
                action=action,
                expected_version=action.version,
                status="complete",
                note="Done; evidence sent to the business unit",
                date=_d(done),
                evidence="Audit report and briefing records",
            )
        if status == "closed":
            action.refresh_from_db(fields=["version"])
            action_services.action_close(
                acting_user=unit,
                action=action,
                expected_version=action.version,
                evidence="Audit report checked by the business unit",
                date=_d(done),
            )
        if status == "on_track":
            action_services.action_update_progress(
                acting_user=unit,
                action=action,
                expected_version=action.version,
                status="on_track",
                note="Audit planned for March",
                date=_d("2017-02-01"),
            )

    # Two reviews completed in 2016-17 but not yet published (seed 3.5.2).
    for i, (title, referred, themes_used) in enumerate(
        (
            ("Case T", "2016-04-18", ["Domestic abuse", "Information sharing"]),
            ("Case V", "2016-07-04", ["Parental mental health", "Voice of the child"]),
        )
    ):
        referred_on = _d(referred)
        aware = referred_on - dt.timedelta(days=3)
        notified = add_working_days(aware, 4 if i == 0 else 7)  # the second one late
        review = services.referral_create(
            acting_user=unit,
            title=title,
            owning_agency=police if i == 0 else hospital,
            referral_date=referred_on,
            la_aware_date=aware,
            summary="Demo referral: serious harm with neglect suspected.",
            abuse_or_neglect=True,
            child_died=i == 1,
            seriously_harmed=i == 0,
            agencies_involved=[council, police, hospital],
            children=[
                {
                    "first_name": "Demo",
                    "last_name": f"Child {title[-1]}",
                    "date_of_birth": _d("2012-03-03"),
                }
            ],
        )
        review = services.referral_update(
            acting_user=unit,
            referral=review,
            expected_version=review.version,
            notification_date=notified,
            decision=types["scr"],
            decision_date=referred_on + dt.timedelta(days=28),
            decision_reasons="Criteria for a serious case review met.",
            reviewer="Independent lead reviewer",
            review_start_date=referred_on + dt.timedelta(days=42),
            themes=[themes[n] for n in themes_used],
            final_report_date=_d("2017-03-10"),
            publication_decision="pending",
        )
        services.referral_action_add(
            acting_user=unit,
            referral=review,
            description="Multi-agency training on the learning from the review",
            measure="Training delivered to 200 practitioners",
            owning_agency=council,
            due_date=_d("2017-02-28"),
            agreed_date=_d("2017-01-10"),
        )

    # A "no review" decision in 2016-17.
    no_review = services.referral_create(
        acting_user=unit,
        title="Case N",
        owning_agency=hospital,
        referral_date=_d("2016-10-03"),
        summary="Demo referral: injury explained; no concern about how agencies worked together.",
        seriously_harmed=True,
        children=[
            {"first_name": "Demo", "last_name": "Child N", "date_of_birth": _d("2015-05-05")}
        ],
    )
    services.referral_update(
        acting_user=unit,
        referral=no_review,
        expected_version=no_review.version,
        decision=types["no_review"],
        decision_date=_d("2016-10-24"),
        decision_reasons="Criteria not met; single-agency learning passed to the hospital.",
    )

    # Since 2018: notification -> rapid review -> LCSPR, with live clocks.
    today = dt.date.today()
    recent = [
        ("Case K", today - dt.timedelta(days=120), "lcspr"),
        ("Case M", today - dt.timedelta(days=60), "malr"),
        ("Case P", today - dt.timedelta(days=10), None),
    ]
    for title, aware, decision in recent:
        referral = services.referral_create(
            acting_user=unit,
            title=title,
            owning_agency=police,
            referral_date=aware,
            la_aware_date=aware,
            summary="Demo referral: serious harm, abuse suspected.",
            abuse_or_neglect=True,
            seriously_harmed=True,
            agencies_involved=[council, police, hospital],
            children=[
                {"first_name": "Demo", "last_name": title, "date_of_birth": _d("2016-02-02")}
            ],
        )
        if decision is None:
            continue  # notification clock running: shows on the worklist
        notified = add_working_days(aware, 3)
        rapid = add_working_days(notified, 14)
        started = rapid + dt.timedelta(days=14) if decision == "lcspr" else None
        referral = services.referral_update(
            acting_user=unit,
            referral=referral,
            expected_version=referral.version,
            notification_date=notified,
            rapid_review_date=rapid,
            decision=types[decision],
            decision_date=rapid,
            decision_reasons="Rapid review recommendation accepted by the safeguarding partners.",
            review_start_date=started,
            reviewer="Independent reviewer" if started else "",
        )
        if started:
            services.chronology_request(
                acting_user=unit,
                referral=referral,
                agency=police,
                requested_date=started,
                due_date=started + dt.timedelta(days=28),
            )
            services.chronology_request(
                acting_user=unit,
                referral=referral,
                agency=hospital,
                requested_date=started,
                due_date=started + dt.timedelta(days=28),
            )
            services.referral_action_add(
                acting_user=unit,
                referral=referral,
                description="Interim learning briefing for police and health",
                measure="Briefing circulated to all teams",
                owning_agency=police,
                due_date=today - dt.timedelta(days=5),
                agreed_date=started,
            )
    return [(email, description) for email, _n, _a, _g, description in USERS]
