"""Missing, exploited and trafficked children: journeys in a real browser (issue 5).

The MET coordinator (officer) records a missing episode (and is refused an end before the
start, and a second episode overlapping the first), records the return, finds it on the
worklist with the time left for the 72-hour interview offer, offers and completes the
interview, adds the child to the MET list, runs a MET meeting and reads the child's
chronology. The MET chair (manager) merges the demo's duplicate child and reads the 2016-17
figures (and the CSV). The return interview provider (contributor) sees only its agency's
records; the board member (reader) sees the figures only.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import expect

from safeguarding.children.models import Child
from safeguarding.core.models import User
from safeguarding.missing.models import Episode
from safeguarding.missing.rules import LONDON

from .helpers import BROWSER, fill_date, read_csv, screenshot, sign_in
from .test_accessibility_modules import images_one_at_a_time

pytestmark = BROWSER

CHAIR = "met.chair@northbank.example"
OFFICER = "met@northbank.example"
PROVIDER = "runaways@northbank.example"
READER = "met.board@northbank.example"
POLICE = "Metropolitan Police, Central South BCU"
COUNCIL = "Children's Social Care, London Borough of Northbank"
CHILD_REF = "NB100120"  # a demo child living at home, not on the MET list


def click_and_wait(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def switch_user(page, email: str) -> None:
    page.context.clear_cookies()
    sign_in(page, email)


def fill_when(page, name: str, moment: dt.datetime) -> None:
    """A date input plus its 24-hour time box (<name>_date / <name>_time), London time."""
    local = moment.astimezone(LONDON)
    fill_date(page, f"{name}_date", local.day, local.month, local.year)
    page.locator(f"#id_{name}_time").fill(local.strftime("%H:%M"))


def save(page, button: str) -> None:
    click_and_wait(page, page.get_by_role("button", name=button, exact=True))


def test_officer_records_episode_interview_met_list_and_meeting(page):
    now = timezone.now().replace(second=0, microsecond=0)
    started = now - dt.timedelta(hours=30)
    returned = now - dt.timedelta(hours=6)
    sign_in(page, OFFICER)
    page.goto("/missing/")
    expect(page.locator("h1")).to_have_text("Missing episodes")
    click_and_wait(page, page.get_by_role("button", name="Record an episode"))
    expect(page.locator("h1")).to_have_text("Record a missing episode")

    # The return before the start: refused in the error summary, nothing saved.
    before = Episode.objects.count()
    page.get_by_label("Child's reference").fill(CHILD_REF)
    page.get_by_role("radio", name="No", exact=True).check()
    page.get_by_role("radio", name="Missing", exact=True).check()
    fill_when(page, "start", started)
    fill_when(page, "end", started - dt.timedelta(hours=2))
    page.get_by_label("Police reference").fill("CAD7781")
    page.get_by_label("Risk level").select_option("medium")
    save(page, "Save episode")
    expect(page).to_have_title(re.compile("^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_be_focused()
    assert Episode.objects.count() == before

    # Still missing: saved with no return.
    for box in ("end_date_0", "end_date_1", "end_date_2", "end_time"):
        page.locator(f"#id_{box}").fill("")
    save(page, "Save episode")
    heading = page.locator("h1")
    expect(heading).to_contain_text("Still missing")
    reference = re.match(r"Episode (\S+)", heading.inner_text()).group(1)
    expect(page.locator(".govuk-summary-list").first).to_contain_text("CAD7781")

    # A second episode of the same child while the first is open: refused as overlapping.
    page.goto("/missing/new/")
    page.get_by_label("Child's reference").fill(CHILD_REF)
    page.get_by_role("radio", name="No", exact=True).check()
    page.get_by_role("radio", name="Absent", exact=True).check()
    fill_when(page, "start", started + dt.timedelta(hours=3))
    save(page, "Save episode")
    expect(page.locator(".govuk-error-summary")).to_contain_text(re.compile("overlap", re.I))
    assert Episode.objects.count() == before + 1

    # The return is recorded on the first episode.
    episode = Episode.objects.get(reference=reference)
    page.goto(f"/missing/{episode.pk}/")
    click_and_wait(page, page.get_by_role("link", name="Change the episode"))
    expect(page.locator("h1")).to_have_text(f"Change episode {reference}")
    fill_when(page, "end", returned)
    page.get_by_label("Where the child was found").select_option("friend_address")
    save(page, "Save episode")
    expect(page.locator("h1")).not_to_contain_text("Still missing")
    expect(page.locator(".govuk-warning-text")).to_contain_text(
        "The return home interview must be offered by"
    )

    # The worklist shows it with about 66 hours left.
    page.goto("/missing/worklist/")
    expect(page.locator("h1")).to_have_text("Return home interviews to offer")
    row = page.locator("tr", has_text=reference)
    expect(row).to_contain_text(re.compile(r"6[56] hours \d+ minutes? \(by "))

    # Offer, then complete, the interview.
    click_and_wait(page, row.get_by_role("link", name=reference))
    click_and_wait(page, page.get_by_role("link", name="Record the interview offer"))
    fill_when(page, "offered", now - dt.timedelta(hours=1))
    page.get_by_label("Offered by").fill("St Christopher's Runaways project")
    save(page, "Save interview")
    expect(page.locator(".govuk-summary-list").nth(1)).to_contain_text("Within 72 hours")
    page.goto("/missing/worklist/")
    expect(page.locator("main")).not_to_contain_text(reference)
    page.goto(f"/missing/{episode.pk}/")
    click_and_wait(page, page.get_by_role("link", name="Update the return home interview"))
    page.get_by_role("radio", name="Accepted", exact=True).check()
    today = timezone.localdate()
    fill_date(page, "completed_on", today.day, today.month, today.year)
    page.get_by_role("checkbox", name="Criminal exploitation").check()
    page.get_by_label("Key disclosures").fill("Carried packages for an older associate.")
    page.get_by_label("Follow-up actions").fill("Refer to the MET meeting.")
    save(page, "Save interview")
    interview = page.locator(".govuk-summary-list").nth(1)
    expect(interview).to_contain_text("Accepted")
    expect(interview).to_contain_text(today.strftime("%-d %B %Y"))
    expect(interview).to_contain_text("Criminal exploitation.")

    # The child goes on the MET list.
    child = Child.objects.get(external_reference=CHILD_REF)
    click_and_wait(page, page.get_by_role("link", name=child.display_name))
    click_and_wait(page, page.get_by_role("link", name="Add to the MET list"))
    expect(page.locator("h1")).to_have_text("Add to the MET list")
    save(page, "Add to the list")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the lead agency")
    page.get_by_label("Lead agency").select_option(label=POLICE)
    page.get_by_role("radio", name="High", exact=True).check()
    save(page, "Add to the list")
    expect(page.locator("h1")).to_contain_text("On the MET list")
    page.goto("/missing/met/")
    expect(page.locator("tr", has_text=child.display_name)).to_contain_text("High")

    # A MET meeting: the agenda is drawn from the list; attendance and a decision.
    page.goto("/missing/meetings/")
    expect(page.locator("h1")).to_have_text("MET meetings")
    click_and_wait(page, page.get_by_role("link", name="Record a meeting"))
    page.get_by_label("Type of meeting").select_option(index=1)
    fill_date(page, "date", today.day, today.month, today.year)
    page.get_by_role("checkbox", name=POLICE).check()
    page.get_by_role("checkbox", name=COUNCIL).check()
    save(page, "Save meeting")
    expect(page.locator("main ul").first).to_contain_text(POLICE)
    agenda = page.locator("tr", has_text=child.display_name)
    expect(agenda).to_contain_text("High")
    click_and_wait(page, agenda.get_by_role("link", name=re.compile("Record decisions")))
    page.get_by_label("Decisions").fill("Disruption plan agreed with the police.")
    page.get_by_label("Actions (who, by when)").fill("Police to visit the address this week.")
    save(page, "Save decisions")
    expect(page.locator("tr", has_text=child.display_name)).to_contain_text(
        "Disruption plan agreed"
    )

    # The child's chronology has all of it, newest first.
    page.goto(f"/children/{child.pk}/")
    expect(page.locator("h2", has_text="Chronology")).to_be_visible()
    chronology = page.locator("table").first
    kinds = chronology.locator("tbody th[scope=row]").all_inner_texts()
    for kind in (
        "Discussed at a MET meeting",
        "Added to the MET list",
        "Interview completed",
        "Interview offered",
        "Episode",
    ):
        assert kind in kinds, (kind, kinds)
    assert kinds.index("Discussed at a MET meeting") < kinds.index("Episode")
    expect(chronology).to_contain_text(reference)


def test_manager_merges_the_duplicate_and_reads_the_figures(page):
    images_one_at_a_time(page)
    sign_in(page, CHAIR)
    page.goto("/children/duplicates/")
    expect(page.locator("h1")).to_have_text("Possible duplicate children")
    twin = Child.objects.get(external_reference="NB100003")
    tables = page.locator("table", has_text=twin.display_name)
    expect(tables).to_have_count(1)
    click_and_wait(page, page.get_by_role("link", name=re.compile("Merge these records")).first)
    expect(page.locator("h1")).to_have_text("Merge two child records")
    save(page, "Merge the records")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Records merged")
    expect(page.locator("h1")).to_contain_text(twin.display_name)
    page.goto("/children/duplicates/")
    expect(page.locator("main")).to_contain_text("No possible duplicates")

    page.goto("/missing/report/?year=2016-17")
    expect(page.locator("h1")).to_have_text("Missing and absent episodes: 2016-17")
    dataset = page.locator("table").first
    april = {
        label: dataset.locator("tr", has=page.locator("th", has_text=label))
        .locator("td")
        .first.inner_text()
        for label in ("Care missing", "Home missing", "Care absent", "Home absent")
    }
    assert april == {
        "Care missing": "5",
        "Home missing": "19",
        "Care absent": "36",
        "Home absent": "7",
    }, april
    screenshot(page, "missing-report.png")
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("^CSV")).click()
    rows = {row[0]: row[1:] for row in read_csv(info.value.path())}
    assert rows["figure"] == ["2016-17", "2015-16"]
    assert rows["by_month.2016-04.care_missing"][0] == "5"
    assert rows["by_month.2016-04.home_missing"][0] == "19"
    assert rows["by_month.2016-04.care_absent"][0] == "36"
    assert rows["by_month.2016-04.home_absent"][0] == "7"
    total = dataset.locator("tr", has=page.locator("th", has_text="All episodes"))
    cells = total.locator("td").all_inner_texts()
    assert cells[12] == str(sum(int(v[0]) for k, v in rows.items() if k.startswith("by_month."))), (
        cells
    )


def test_contributor_sees_only_own_agency_and_reader_only_figures(page):
    provider = User.objects.get(email=PROVIDER)
    own = Episode.objects.filter(owning_agency=provider.agency).count()
    other = Episode.objects.exclude(owning_agency=provider.agency).get(reference="MIS-NOW-002")
    mine = Episode.objects.get(reference="MIS-NOW-001")
    assert 0 < own < Episode.objects.count()

    sign_in(page, PROVIDER)
    page.goto("/missing/")
    expect(page.locator("main")).to_contain_text(f"{own} records")
    page.goto(f"/missing/{mine.pk}/")
    expect(page.locator("h1")).to_contain_text("Episode MIS-NOW-001")
    response = page.goto(f"/missing/{other.pk}/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")

    switch_user(page, READER)
    response = page.goto("/missing/")
    assert response.status == 403
    expect(page.locator("h1")).to_contain_text("You do not have access")
    response = page.goto(f"/missing/{mine.pk}/")
    assert response.status in (403, 404)
    page.goto("/missing/report/?year=2016-17")
    expect(page.locator("h1")).to_have_text("Missing and absent episodes: 2016-17")
    expect(page.locator("table").first).to_contain_text("Care missing")
    expect(page.get_by_role("link", name=re.compile("^(Add|Change)"))).to_have_count(0)
