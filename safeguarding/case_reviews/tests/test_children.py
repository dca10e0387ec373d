"""Children named in a case review are the shared child record, written (and audited) only
by children.services. The defect: case reviews created Child rows directly, with no audit."""

import datetime as dt

from django.urls import reverse

from safeguarding.children.models import Child
from safeguarding.core.models import AuditEvent


def created(child: Child) -> AuditEvent:
    return AuditEvent.objects.get(
        object_type="children.child", object_id=str(child.pk), action="create"
    )


def test_a_child_named_in_a_referral_has_an_audited_creation(referral, unit):
    child = referral.children.get()
    event = created(child)
    assert (event.actor, event.module) == (unit, "children")
    assert event.changes["first_name"] == [None, "Xanthe"]


def test_a_child_added_from_the_review_page_has_an_audited_creation(client_for, unit, referral):
    response = client_for(unit).post(
        reverse("case_reviews:child_add", args=[referral.pk]),
        {
            "first_name": "Yusuf",
            "last_name": "Brennan",
            "date_of_birth_0": "4",
            "date_of_birth_1": "5",
            "date_of_birth_2": "2014",
        },
    )
    assert response.status_code == 302
    child = Child.objects.get(first_name="Yusuf")
    assert child.date_of_birth == dt.date(2014, 5, 4)
    assert created(child).actor == unit


def test_the_same_child_named_again_is_the_same_record(client_for, unit, referral):
    before = Child.objects.count()
    client_for(unit).post(
        reverse("case_reviews:child_add", args=[referral.pk]),
        {
            "first_name": "XANTHE",
            "last_name": "quillfeather",
            "date_of_birth_0": "2",
            "date_of_birth_1": "1",
            "date_of_birth_2": "2015",
        },
    )
    assert Child.objects.count() == before
