"""Notify, change, joint agency response, child death review meeting, panel review,
recommendations, form requests."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from safeguarding.actions.services import actions_for
from safeguarding.child_deaths.models import Death, FormRequest

from .conftest import CHILD

STEPS = ["edit", "jar", "review_meeting", "review", "recommendation", "form_request"]


def date(prefix, d):
    return {f"{prefix}_0": d.day, f"{prefix}_1": d.month, f"{prefix}_2": d.year}


def notification(council, **kw):
    data = {
        "child_name": "Barnaby Quince", "sex": "male", "ethnicity": "WBRI",
        "nhs_number": "943 476 5919", "owning_agency": council.pk, "expected": "yes",
        **date("date_of_birth", dt.date(2015, 1, 1)), **date("date_of_death", dt.date(2016, 5, 1)),
        **date("notification_date", dt.date(2016, 5, 2)),
    }  # fmt: skip
    data.update(kw)
    return data


def test_coordinator_notifies_a_death(client_for, coordinator, council):
    response = client_for(coordinator).post(reverse("child_deaths:create"), notification(council))
    death = Death.objects.get()
    assert response.status_code == 302 and death.child_name == "Barnaby Quince"
    assert death.nhs_number == "9434765919" and death.age_band == "1_to_4"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"nhs_number": "9434765918"}, "Enter a valid NHS number"),
        (date("date_of_birth", dt.date(1998, 4, 1)), "18 or over"),
        (date("date_of_birth", dt.date(2016, 6, 1)), "before the date of birth"),
        (date("notification_date", dt.date(2016, 4, 1)), "notification cannot be before"),
    ],
)
def test_bad_notifications_are_refused_with_a_clear_message(
    client_for, coordinator, council, change, message
):
    response = client_for(coordinator).post(
        reverse("child_deaths:create"), notification(council, **change)
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert not Death.objects.exists()


def test_a_contributor_notifies_for_their_own_agency_only(client_for, asked, hospital, council):
    client = client_for(asked)
    refused = client.post(reverse("child_deaths:create"), notification(council))
    assert refused.status_code == 200 and not Death.objects.exists()
    client.post(reverse("child_deaths:create"), notification(hospital))
    assert Death.objects.get().owning_agency == hospital


def test_review_then_recommendation_becomes_an_action(client_for, coordinator, death, hospital):
    client = client_for(coordinator)
    response = client.post(
        reverse("child_deaths:review", args=[death.pk]),
        {"category": "8", "modifiable_factors": "no", "learning_points": "Prematurity",
         "version": death.version, **date("review_date", dt.date(2016, 10, 1))},
    )  # fmt: skip
    assert response.status_code == 302
    client.post(
        reverse("child_deaths:recommendation", args=[death.pk]),
        {"description": "Promote smoking cessation in pregnancy", "owning_agency": hospital.pk,
         **date("due_date", dt.date(2017, 3, 1))},
    )  # fmt: skip
    (action,) = actions_for(death)
    html = client.get(reverse("child_deaths:detail", args=[death.pk])).content.decode()
    assert action.reference in html and "Promote smoking cessation" in html
    assert "8. Perinatal/neonatal event" in html


def test_review_needs_a_category(client_for, coordinator, death):
    response = client_for(coordinator).post(
        reverse("child_deaths:review", args=[death.pk]),
        {
            "modifiable_factors": "no",
            "version": death.version,
            **date("review_date", dt.date(2016, 10, 1)),
        },
    )
    assert "Choose the category of death" in response.content.decode()
    death.refresh_from_db()
    assert death.review_date is None


def checked(html: str, name: str) -> list[str]:
    """The values of the radios of that name shown as chosen."""
    tags = re.findall(r"<input[^>]*>", html)
    return [
        re.search(r'value="([^"]*)"', tag).group(1)
        for tag in tags
        if f'name="{name}"' in tag and re.search(r"\schecked", tag)
    ]


def test_the_notification_records_what_the_ncmd_asks(client_for, coordinator, council):
    client = client_for(coordinator)
    data = notification(
        council,
        child_protection_plan_at_death="yes",
        looked_after_at_death="unknown",
        **date("ncmd_notified_date", dt.date(2016, 5, 3)),
    )
    assert client.post(reverse("child_deaths:create"), data).status_code == 302
    death = Death.objects.get()
    assert death.child_protection_plan_at_death is True
    assert death.looked_after_at_death is None  # not known
    assert death.ncmd_notified_date == dt.date(2016, 5, 3)
    html = client.get(reverse("child_deaths:detail", args=[death.pk])).content.decode()
    assert "Notified to the National Child Mortality Database" in html and "3 May 2016" in html
    edit = client.get(reverse("child_deaths:edit", args=[death.pk])).content.decode()
    assert checked(edit, "child_protection_plan_at_death") == ["yes"]
    assert checked(edit, "looked_after_at_death") == ["unknown"]
    refused = client.post(
        reverse("child_deaths:create"),
        notification(council, **date("ncmd_notified_date", dt.date(2016, 4, 30))),
    )
    assert "National Child Mortality Database cannot be before the death" in (
        refused.content.decode()
    )
    assert Death.objects.count() == 1


def test_the_child_death_review_meeting_is_recorded_shown_and_audited(
    client_for, coordinator, death
):
    client = client_for(coordinator)
    url = reverse("child_deaths:review_meeting", args=[death.pk])
    before = client.post(
        url, {"version": death.version, **date("review_meeting_date", dt.date(2016, 5, 31))}
    )
    assert "review meeting cannot be before the death" in before.content.decode()
    response = client.post(
        url, {"version": death.version, **date("review_meeting_date", dt.date(2016, 7, 1))}
    )
    assert response.status_code == 302
    death.refresh_from_db()
    assert death.review_meeting_date == dt.date(2016, 7, 1)
    html = client.get(reverse("child_deaths:detail", args=[death.pk])).content.decode()
    assert "Child death review meeting" in html and "1 July 2016" in html
    assert "Child death review meeting recorded" in html  # the history


def test_the_panel_records_the_four_domains_consistently(client_for, coordinator, death):
    client = client_for(coordinator)
    url = reverse("child_deaths:review", args=[death.pk])
    review = {"category": "10", "version": death.version,
              **date("review_date", dt.date(2016, 10, 1))}  # fmt: skip
    refused = client.post(
        url, {**review, "modifiable_factors": "no", "factors_physical_environment": "significant"}
    )
    assert "significant factors in the physical environment" in refused.content.decode()
    death.refresh_from_db()
    assert death.review_date is None
    saved = client.post(
        url,
        {**review, "modifiable_factors": "yes", "factors_child": "none",
         "factors_social_environment": "possible", "factors_physical_environment": "significant",
         "factors_service_provision": "none"},
    )  # fmt: skip
    assert saved.status_code == 302
    death.refresh_from_db()
    assert (death.factors_social_environment, death.factors_physical_environment) == (
        "possible",
        "significant",
    )
    html = client.get(reverse("child_deaths:detail", args=[death.pk])).content.decode()
    assert "Factors in the physical environment" in html and "Significant" in html


def test_jar_and_form_requests(client_for, coordinator, death, hospital, police):
    client = client_for(coordinator)
    client.post(
        reverse("child_deaths:jar", args=[death.pk]),
        {
            "jar_attendees": "Paediatrician",
            "version": death.version,
            **date("jar_date", dt.date(2016, 6, 2)),
        },
    )
    death.refresh_from_db()
    assert not death.jar_missing
    client.post(
        reverse("child_deaths:form_request", args=[death.pk]),
        {"agencies": [hospital.pk, police.pk], **date("due_date", dt.date.today())},
    )
    assert set(FormRequest.objects.values_list("owning_agency", flat=True)) == {
        hospital.pk,
        police.pk,
    }


@pytest.mark.parametrize("step", STEPS)
def test_contributors_get_404_and_readers_403(client_for, asked, cdop_reader, death, step):
    url = reverse(f"child_deaths:{step}", args=[death.pk])
    assert client_for(asked).get(url).status_code == 403  # change_record is officers' only
    response = client_for(cdop_reader).get(url)
    assert response.status_code == 403 and CHILD not in response.content.decode()


@pytest.mark.parametrize("step", STEPS)
def test_anonymous_and_wrong_method(client_for, coordinator, death, step):
    url = reverse(f"child_deaths:{step}", args=[death.pk])
    assert client_for(None).get(url).status_code == 302
    response = client_for(coordinator).get(url)
    if step == "recommendation":  # only after the panel review: sent back to the record
        assert response["Location"] == reverse("child_deaths:detail", args=[death.pk])
    else:
        assert response.status_code == 200
    assert client_for(coordinator).put(url).status_code == 405


def test_create_permissions(client_for, cdop_reader, not_asked):
    url = reverse("child_deaths:create")
    assert client_for(not_asked).get(url).status_code == 200
    assert client_for(cdop_reader).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302
    assert client_for(not_asked).delete(url).status_code == 405


def test_another_officers_missing_record_is_404(client_for, coordinator):
    assert (
        client_for(coordinator).get(reverse("child_deaths:review", args=[999])).status_code == 404
    )
