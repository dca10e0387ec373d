"""As a new user would: refer a case, decide, run a rapid review, commission an LCSPR, add
an action, update it as the agency, close it with evidence. Plus the worklist and list."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguarding.actions.models import Action
from safeguarding.case_reviews import services
from safeguarding.case_reviews.models import Referral


def _date(prefix, day):
    return {
        f"{prefix}_0": str(day.day),
        f"{prefix}_1": str(day.month),
        f"{prefix}_2": str(day.year),
    }


def test_whole_journey(client_for, unit, police_user, police, hospital, types):
    today = dt.date.today()
    aware = today - dt.timedelta(days=60)
    police_client, bu = client_for(police_user), client_for(unit)
    data = {
        "title": "Case Z",
        "summary": "Baby seriously injured",
        "abuse_or_neglect": "yes",
        "child_died": "no",
        "seriously_harmed": "yes",
        "looked_after": "no",
        "agencies_involved": [police.pk, hospital.pk],
        "first_name": "Yolanda",
        "last_name": "Zed",
        **_date("referral_date", aware),
        **_date("la_aware_date", aware),
        **_date("date_of_birth", dt.date(2020, 1, 1)),
    }
    response = police_client.post(reverse("case_reviews:create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    referral = Referral.objects.get(title="Case Z")
    assert referral.owning_agency == police
    assert referral.children.get().last_name == "Zed"

    notified, rapid = aware + dt.timedelta(days=3), aware + dt.timedelta(days=20)
    response = bu.post(
        reverse("case_reviews:panel", args=[referral.pk]),
        {
            "version": referral.version,
            **_date("notification_date", notified),
            **_date("rapid_review_date", rapid),
            "decision": types["lcspr"].pk,
            "decision_reasons": "Learning about injuries to non-mobile babies",
            **_date("decision_date", rapid),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    referral.refresh_from_db()
    response = bu.post(
        reverse("case_reviews:review", args=[referral.pk]),
        {
            "version": referral.version,
            "reviewer": "Independent reviewer",
            **_date("review_start_date", rapid + dt.timedelta(days=1)),
            "publication_decision": "pending",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    detail = bu.get(reverse("case_reviews:detail", args=[referral.pk])).content.decode()
    assert "Local child safeguarding practice review" in detail
    assert "LCSPR publication" in detail and "Done on time" in detail

    response = bu.post(
        reverse("case_reviews:action_add", args=[referral.pk]),
        {
            "description": "Bruising protocol for non-mobile babies",
            "measure": "Audit shows use",
            "owning_agency": police.pk,
            "owner_person": "DI Lane",
            **_date("due_date", today + dt.timedelta(days=30)),
        },
    )
    assert response.status_code == 302
    action = Action.objects.get(description__startswith="Bruising")

    response = police_client.post(
        reverse("actions:progress", args=[action.pk]),
        {
            "version": action.version,
            "status": "complete",
            "note": "Protocol launched",
            "evidence": "Launch briefing and audit",
            **_date("date", today),
        },
    )
    assert response.status_code == 302
    response = bu.post(
        reverse("actions:close", args=[action.pk]),
        {
            "version": action.version + 1,
            "evidence": "Launch briefing and audit checked",
            **_date("date", today),
        },
    )
    assert response.status_code == 302
    plan = bu.get(
        reverse("actions:plan", args=[action.source_type_id, action.source_id])
    ).content.decode()
    assert "100% complete" in plan


def test_worklist_shows_what_is_due_this_week(client_for, unit, types):
    today = dt.date.today()
    services.referral_create(
        acting_user=unit,
        title="Case W",
        referral_date=today - dt.timedelta(days=30),
        la_aware_date=today - dt.timedelta(days=30),
        abuse_or_neglect=True,
        seriously_harmed=True,
    )
    page = client_for(unit).get(reverse("case_reviews:worklist")).content.decode()
    assert "Case W" in page and "Overdue" in page


def test_list_uses_a_constant_number_of_queries(client_for, unit, police):
    c = client_for(unit)
    url = reverse("case_reviews:list")

    def make(n, start):
        for i in range(n):
            services.referral_create(
                acting_user=unit, owning_agency=police, referral_date=dt.date(2016, 5, start + i)
            )

    make(2, 1)
    c.get(url)
    with CaptureQueriesContext(connection) as few:
        c.get(url)
    make(8, 5)
    with CaptureQueriesContext(connection) as many:
        page = c.get(url)
    assert page.content.decode().count('href="/case-reviews/') >= 10
    assert len(many) == len(few)
