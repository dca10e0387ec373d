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


FLOORS = {"lado": lado}
