"""axe (WCAG 2.2 AA) on every missing-children and child-record page each demo role of the
module can reach: lists with filters, episode pages, every form empty and with errors, the
worklist, the MET list, meetings, child pages, duplicates, the import (and a bad file's
errors), the report.

The same approach as test_accessibility.py (its `Audit` walks one role's pages and reports
every page's violations at once). No rule is disabled anywhere: if one ever must be, pass
`disable={"rule-id": "why"}` to `Audit.check` for that page only.
"""

from __future__ import annotations

from safeguarding.children.models import Child
from safeguarding.core.models import User
from safeguarding.missing.models import Episode, MetListEntry, MetMeeting, MetMeetingType

from .helpers import BROWSER, sign_in
from .test_accessibility import Audit
from .test_accessibility_modules import images_one_at_a_time

pytestmark = BROWSER

CHAIR = "met.chair@northbank.example"
OFFICER = "met@northbank.example"
PROVIDER = "runaways@northbank.example"
READER = "met.board@northbank.example"


def search(audit: Audit, label: str, text: str, what: str) -> None:
    audit.page.get_by_label(label).fill(text)
    with audit.page.expect_navigation():
        audit.page.get_by_role("button", name="Search", exact=True).click()
    audit.check(what)


def clear_date(page, field: str) -> None:
    for part in range(3):
        page.locator(f"#id_{field}_{part}").fill("")


def test_officer_missing_pages_are_accessible(page, tmp_path):
    completed = (
        Episode.objects.filter(interview__completed_on__isnull=False).order_by("start").first()
    )
    still_missing = Episode.objects.get(reference="MIS-NOW-001")
    waiting = Episode.objects.get(reference="MIS-NOW-003")  # returned, no offer yet
    listed = MetListEntry.objects.filter(left_on__isnull=True).select_related("child").first()
    unlisted = Child.objects.get(external_reference="NB100120")
    meeting = MetMeeting.objects.order_by("-date").first()
    item = meeting.discussions.first()

    audit = Audit(page)
    sign_in(page, OFFICER)
    audit.check("home (MET officer)")
    # Filtered (and searched) rather than whole: the same markup, and axe is slow on 50 rows.
    audit.visit(
        "/missing/?year=2016-17&episode_type=missing&status=closed",
        "episodes, filtered",
        "Missing episodes",
    )
    search(
        audit,
        "Search by episode or child reference, or the child's name",
        completed.reference,
        "episodes, searched",
    )
    audit.visit(f"/missing/{completed.pk}/", "episode with a completed interview", "Episode")
    audit.visit(f"/missing/{still_missing.pk}/", "episode still open", "Still missing")
    audit.visit(f"/missing/{waiting.pk}/", "episode awaiting an offer", "Episode")

    audit.visit("/missing/new/", "record an episode", "Record a missing episode")
    audit.submit("record an episode, empty, with errors", "Save episode")
    page.get_by_label("Child's reference").fill(unlisted.external_reference)
    page.get_by_role("radio", name="No", exact=True).check()
    page.get_by_role("radio", name="Missing", exact=True).check()
    for field, values in (("start_date", (3, 4, 2016)), ("end_date", (2, 4, 2016))):
        for part, value in enumerate(values):
            page.locator(f"#id_{field}_{part}").fill(str(value))
    page.locator("#id_start_time").fill("25:70")
    audit.submit("record an episode, bad time, with errors", "Save episode")
    page.locator("#id_start_time").fill("10:00")
    page.locator("#id_end_time").fill("09:00")
    audit.submit("record an episode, end before start", "Save episode")
    audit.visit(f"/missing/{completed.pk}/edit/", "change an episode", "Change episode")
    clear_date(page, "start_date")
    audit.submit("change an episode with errors", "Save episode")

    audit.visit(f"/missing/{waiting.pk}/interview/", "interview offer", "interview")
    audit.submit("interview offer with errors", "Save interview")
    audit.visit(f"/missing/{completed.pk}/interview/", "interview, recorded", "interview")
    page.locator("#id_offered_time").fill("noon")
    audit.submit("interview, recorded, with errors", "Save interview")

    audit.visit("/missing/worklist/", "worklist", "Return home interviews to offer")
    audit.visit("/missing/met/", "MET list", "MET list")
    audit.visit("/missing/met/?show=left", "MET list, left", "MET list")

    audit.visit("/children/", "children", "Children")
    search(audit, "Search by name or the child's reference", "NB1001", "children, searched")
    audit.visit(f"/children/{listed.child_id}/", "child on the MET list", listed.child.first_name)
    audit.visit(f"/children/{unlisted.pk}/", "child with episodes", unlisted.first_name)
    audit.visit("/children/new/", "add a child")
    audit.submit("add a child with errors")
    audit.visit(f"/children/{unlisted.pk}/edit/", "change a child")
    page.get_by_label("First name").fill("")
    audit.submit("change a child with errors")
    audit.visit(
        f"/missing/children/{unlisted.pk}/screenings/new/", "record a screening", "screening"
    )
    audit.submit("record a screening with errors", "Save screening")
    audit.visit(f"/missing/children/{unlisted.pk}/met/add/", "add to the MET list", "MET list")
    audit.submit("add to the MET list with errors", "Add to the list")
    audit.visit(f"/missing/met/{listed.pk}/remove/", "remove from the MET list")
    clear_date(page, "left_on")
    audit.submit("remove from the MET list with errors", "Remove from the list")

    audit.visit("/missing/meetings/", "MET meetings", "MET meetings")
    audit.visit(f"/missing/meetings/{meeting.pk}/", "MET meeting", str(meeting.meeting_type))
    audit.visit("/missing/meetings/new/", "record a meeting")
    clear_date(page, "date")
    audit.submit("record a meeting with errors", "Save meeting")
    audit.visit(f"/missing/meetings/items/{item.pk}/", "decisions for a child")

    audit.visit("/missing/import/", "import", "Import")
    audit.submit("import, no file, with errors", "Check and import")
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "reference,child_reference,looked_after,episode_type,start,end\n"
        "X-1,NB100001,yes,missing,2016-13-45T10:00,\n"
        "X-2,,maybe,lost,2016-05-01T10:00,2016-04-01T10:00\n"
    )
    page.get_by_label("CSV or Excel (.xlsx) file").set_input_files(str(bad))
    with page.expect_navigation():
        page.get_by_role("button", name="Check and import").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "row 2" in summary, summary
    audit.check("import with a bad file")
    audit.done()


def test_manager_missing_pages_are_accessible(page):
    images_one_at_a_time(page)
    twin = Child.objects.filter(external_reference="NB100003").get()
    meeting_type = MetMeetingType.objects.first()
    audit = Audit(page)
    sign_in(page, CHAIR)
    audit.visit("/children/duplicates/", "possible duplicates", "Possible duplicate children")
    audit.visit(f"/children/{twin.pk}/merge/", "merge two records", "Merge two child records")
    audit.visit("/missing/meeting-types/", "meeting types")
    audit.visit("/missing/meeting-types/new/", "add a meeting type")
    audit.submit("add a meeting type with errors")
    audit.visit(f"/missing/meeting-types/{meeting_type.pk}/", "change a meeting type")
    audit.visit("/missing/report/?year=2016-17", "report 2016-17", "2016-17")
    audit.visit("/missing/report/", "report, default year", "Missing and absent episodes")
    audit.visit("/missing/report/2016-17/commentary/total/", "commentary")
    audit.done()


def test_contributor_and_reader_missing_pages_are_accessible(page):
    images_one_at_a_time(page)
    provider = User.objects.get(email=PROVIDER)
    own = Episode.objects.get(reference="MIS-NOW-001")
    assert own.owning_agency_id == provider.agency_id
    other = Episode.objects.get(reference="MIS-NOW-002")
    audit = Audit(page)
    sign_in(page, PROVIDER)
    audit.check("home (provider)")
    audit.visit("/missing/?episode_type=missing", "episodes (provider)", "Missing episodes")
    audit.visit(f"/missing/{own.pk}/", "own episode (provider)", own.reference)
    audit.visit(f"/missing/{other.pk}/", "another agency's episode (provider)", "Page not found")
    audit.visit("/missing/new/", "record an episode (provider)", "Record a missing episode")
    audit.submit("record an episode with errors (provider)", "Save episode")
    audit.visit("/missing/worklist/", "worklist (provider)", "Return home interviews")
    audit.visit("/missing/met/", "MET list (provider)", "MET list")
    audit.visit("/children/", "children (provider)", "Children")
    # The children this agency recorded (the demo's duplicate); the council's are not listed.
    child = Child.objects.filter(owning_agency=provider.agency).first()
    audit.visit(f"/children/{child.pk}/", "own child (provider)", child.first_name)

    page.context.clear_cookies()
    sign_in(page, READER)
    audit.check("home (reader)")
    audit.visit("/missing/report/?year=2016-17", "report (reader)", "2016-17")
    audit.visit("/missing/", "episodes refused (reader)", "You do not have access")
    audit.done()
