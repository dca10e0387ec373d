"""Hand-written SQL, one query per figure: the floor each reports.py is measured against.

Each function takes a DB-API cursor and a FinancialYear and computes the same figures as
the register's year_report, the plainest way a DBA would.
"""

from __future__ import annotations


def _quarters(cursor, sql: str, year) -> dict:
    out = {}
    for q, first, last in year.quarters():
        cursor.execute(sql, [first, last])
        out[q] = cursor.fetchone()[0]
    cursor.execute(sql, [year.start, year.end])
    out["total"] = cursor.fetchone()[0]
    return out


def lado(cursor, year) -> dict:
    figures = {
        "contacts": _quarters(
            cursor, "SELECT COUNT(*) FROM lado_case WHERE contact_date BETWEEN %s AND %s", year
        ),
        "referrals": _quarters(
            cursor,
            "SELECT COUNT(*) FROM lado_case WHERE threshold_met "
            "AND referral_date BETWEEN %s AND %s",
            year,
        ),
        "strategy_meetings": _quarters(
            cursor,
            "SELECT COUNT(*) FROM lado_case c WHERE c.threshold_met AND "
            "c.referral_date BETWEEN %s AND %s AND EXISTS (SELECT 1 FROM lado_meeting m "
            "WHERE m.case_id = c.id)",
            year,
        ),
        "substantiated": _quarters(
            cursor,
            "SELECT COUNT(*) FROM lado_case WHERE threshold_met AND outcome = "
            "'substantiated' AND referral_date BETWEEN %s AND %s",
            year,
        ),
    }
    cursor.execute(
        "SELECT employer_sector, outcome, COUNT(*) FROM lado_case WHERE threshold_met "
        "AND referral_date BETWEEN %s AND %s GROUP BY employer_sector, outcome",
        [year.start, year.end],
    )
    figures["outcomes_by_sector"] = cursor.fetchall()
    return figures


def _one(cursor, sql: str, params) -> int:
    cursor.execute(sql, params)
    return cursor.fetchone()[0]


def _grouped(cursor, sql: str, params) -> dict:
    cursor.execute(sql, params)
    return dict(cursor.fetchall())


# The DfE ethnicity codes by reporting group (core.codes.ETHNIC_GROUPS).
_ETHNIC_GROUP_SQL = (
    "CASE WHEN ethnicity IN ('WBRI', 'WIRI', 'WIRT', 'WROM', 'WOTH') THEN 'white' "
    "WHEN ethnicity IN ('MWBC', 'MWBA', 'MWAS', 'MOTH') THEN 'mixed' "
    "WHEN ethnicity IN ('AIND', 'APKN', 'ABAN', 'AOTH') THEN 'asian' "
    "WHEN ethnicity IN ('BCRB', 'BAFR', 'BOTH') THEN 'black' "
    "WHEN ethnicity IN ('CHNE', 'OOTH') THEN 'other' ELSE 'not_known' END"
)


def child_deaths(cursor, year) -> dict:
    """Notified and reviewed in the year; the profile of the deaths reviewed in it."""
    span = [year.start, year.end]
    reviewed = "FROM child_deaths_death WHERE review_date BETWEEN %s AND %s"
    return {
        "notified": _one(
            cursor,
            "SELECT COUNT(*) FROM child_deaths_death WHERE notification_date BETWEEN %s AND %s",
            span,
        ),
        "reviewed": _one(cursor, f"SELECT COUNT(*) {reviewed}", span),
        "expected": _one(cursor, f"SELECT COUNT(*) {reviewed} AND expected", span),
        "unexpected": _one(cursor, f"SELECT COUNT(*) {reviewed} AND NOT expected", span),
        "age_at_death": _grouped(
            cursor, f"SELECT age_band, COUNT(*) {reviewed} GROUP BY age_band", span
        ),
        "sex": _grouped(cursor, f"SELECT sex, COUNT(*) {reviewed} GROUP BY sex", span),
        "ethnicity": _grouped(
            cursor,
            f"SELECT {_ETHNIC_GROUP_SQL}, COUNT(*) {reviewed} GROUP BY {_ETHNIC_GROUP_SQL}",
            span,
        ),
        "bme": _one(
            cursor,
            f"SELECT COUNT(*) {reviewed} AND ethnicity NOT IN "
            "('WBRI', 'WIRI', 'WIRT', 'WROM', 'WOTH', 'REFU', 'NOBT')",
            span,
        ),
        "category": _grouped(
            cursor,
            f"SELECT category, COUNT(*) {reviewed} AND category <> '' GROUP BY category",
            span,
        ),
        "modifiable": _grouped(
            cursor,
            f"SELECT modifiable_factors, COUNT(*) {reviewed} AND modifiable_factors <> '' "
            "GROUP BY modifiable_factors",
            span,
        ),
        "notified_to_date": _one(
            cursor,
            "SELECT COUNT(*) FROM child_deaths_death WHERE notification_date <= %s",
            [year.end],
        ),
        "reviewed_to_date": _one(
            cursor, "SELECT COUNT(*) FROM child_deaths_death WHERE review_date <= %s", [year.end]
        ),
    }


def private_fostering(cursor, year) -> dict:
    """Notifications, arrangements (new, in place during the year, at its end) and the
    statutory visits falling due in the year."""
    start, end = year.start, year.end
    return {
        "notifications": _one(
            cursor,
            "SELECT COUNT(*) FROM private_fostering_notification "
            "WHERE notification_date BETWEEN %s AND %s",
            [start, end],
        ),
        "new_arrangements": _one(
            cursor,
            "SELECT COUNT(*) FROM private_fostering_notification "
            "WHERE arrangement_start_date BETWEEN %s AND %s",
            [start, end],
        ),
        "arrangements_in_year": _one(
            cursor,
            "SELECT COUNT(*) FROM private_fostering_notification WHERE arrangement_start_date "
            "<= %s AND (arrangement_end_date IS NULL OR arrangement_end_date >= %s)",
            [end, start],
        ),
        "active_at_year_end": _one(
            cursor,
            "SELECT COUNT(*) FROM private_fostering_notification WHERE arrangement_start_date "
            "<= %s AND (arrangement_end_date IS NULL OR arrangement_end_date > %s)",
            [end, end],
        ),
        "new_arrangements_by_category": _grouped(
            cursor,
            "SELECT category, COUNT(*) FROM private_fostering_notification "
            "WHERE arrangement_start_date BETWEEN %s AND %s GROUP BY category",
            [start, end],
        ),
        "visits": {
            "due": _one(
                cursor,
                "SELECT COUNT(*) FROM private_fostering_visit WHERE due_date BETWEEN %s AND %s",
                [start, end],
            ),
            "on_time": _one(
                cursor,
                "SELECT COUNT(*) FROM private_fostering_visit WHERE due_date BETWEEN %s AND %s "
                "AND visit_date <= due_date",
                [start, end],
            ),
        },
    }


def case_reviews(cursor, year) -> dict:
    """Referrals, the panel's decisions, the statutory clocks falling due in the year, the
    reviews published, and the case review actions as at the year end."""
    span = [year.start, year.end]

    def clock(due: str, done: str) -> dict:
        return {
            "due": _one(
                cursor,
                f"SELECT COUNT(*) FROM case_reviews_referral WHERE {due} BETWEEN %s AND %s",
                span,
            ),
            "on_time": _one(
                cursor,
                f"SELECT COUNT(*) FROM case_reviews_referral WHERE {due} BETWEEN %s AND %s "
                f"AND {done} <= {due}",
                span,
            ),
        }

    # Open at the year end: agreed by then (the date agreed, else the day it was recorded)
    # and not completed by then.
    open_sql = (
        "SELECT COUNT(*) FROM actions_action WHERE source_module = 'case_reviews' "
        "AND COALESCE(agreed_date, DATE(created_at)) <= %s "
        "AND (completed_date IS NULL OR completed_date > %s)"
    )
    return {
        "referrals": _one(
            cursor,
            "SELECT COUNT(*) FROM case_reviews_referral WHERE referral_date BETWEEN %s AND %s",
            span,
        ),
        "decisions": _grouped(
            cursor,
            "SELECT t.code, COUNT(r.id) FROM case_reviews_reviewtype t "
            "LEFT JOIN case_reviews_referral r ON r.decision_id = t.id "
            "AND r.decision_date BETWEEN %s AND %s GROUP BY t.code",
            span,
        ),
        "notifications": clock("notification_due", "notification_date"),
        "rapid_reviews": clock("rapid_review_due", "rapid_review_date"),
        "published": _one(
            cursor,
            "SELECT COUNT(*) FROM case_reviews_referral WHERE published_date BETWEEN %s AND %s",
            span,
        ),
        "actions": {
            "open": _one(cursor, open_sql, [year.end, year.end]),
            "overdue": _one(cursor, open_sql + " AND due_date < %s", [year.end] * 3),
            "completed_in_year": _one(
                cursor,
                "SELECT COUNT(*) FROM actions_action WHERE source_module = 'case_reviews' "
                "AND completed_date BETWEEN %s AND %s",
                span,
            ),
        },
    }


def missing_episodes(cursor, year) -> dict:
    """One COUNT per month and indicator, then the interview, children and repeat figures."""
    from django.db import connection

    from safeguarding.missing.reports import INDICATOR_FILTERS, month_bounds, year_bounds

    adapt = connection.ops.adapt_datetimefield_value
    where = {
        "care_missing": "looked_after AND episode_type = 'missing'",
        "home_missing": "NOT looked_after AND episode_type = 'missing'",
        "care_absent": "looked_after AND episode_type IN ('absent', 'away')",
        "home_absent": "NOT looked_after AND episode_type IN ('absent', 'away')",
    }
    assert set(where) == set(INDICATOR_FILTERS)
    by_month = {}
    for key, first, after in month_bounds(year):
        by_month[key] = {}
        for name, condition in where.items():
            cursor.execute(
                f"SELECT COUNT(*) FROM missing_episode WHERE {condition} AND "
                "start >= %s AND start < %s",
                [adapt(first), adapt(after)],
            )
            by_month[key][name] = cursor.fetchone()[0]
    start, end = (adapt(b) for b in year_bounds(year))
    deadline = (
        "datetime(e.\"end\", '+72 hours')"
        if connection.vendor == "sqlite"
        else "e.\"end\" + interval '72 hours'"
    )
    cursor.execute(
        "SELECT COUNT(*) FROM missing_episode WHERE episode_type = 'missing' AND "
        "start >= %s AND start < %s",
        [start, end],
    )
    missing = cursor.fetchone()[0]
    cursor.execute(
        "SELECT COUNT(*) FROM missing_episode e JOIN missing_returninterview r ON "
        "r.episode_id = e.id WHERE e.episode_type = 'missing' AND e.start >= %s AND "
        f"e.start < %s AND r.offered_at <= {deadline}",
        [start, end],
    )
    offered = cursor.fetchone()[0]
    cursor.execute(
        "SELECT COUNT(DISTINCT child_id) FROM missing_episode WHERE start >= %s AND start < %s",
        [start, end],
    )
    children = cursor.fetchone()[0]
    cursor.execute(
        "SELECT COUNT(*) FROM (SELECT child_id FROM missing_episode WHERE start >= %s "
        "AND start < %s GROUP BY child_id HAVING COUNT(*) >= 3) t",
        [start, end],
    )
    return {
        "by_month": by_month,
        "return_interviews": {"missing_episodes": missing, "offered_within_72_hours": offered},
        "children": children,
        "repeat_children": cursor.fetchone()[0],
    }


FLOORS = {
    "missing_episodes": missing_episodes,
    "lado": lado,
    "child_deaths": child_deaths,
    "private_fostering": private_fostering,
    "case_reviews": case_reviews,
}
