"""The case reviews register on core's pages: the list with its filters and search, the web
import, the report page with its chart, and the annual report's chapter."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse

from safeguarding.case_reviews import services
from safeguarding.case_reviews.models import Referral
from safeguarding.core.periods import FinancialYear
from safeguarding.core.registers import chapters


def test_the_list_filters_by_year_decision_and_stage(client_for, unit, types, referral):
    decided = services.referral_create(
        acting_user=unit, title="Case D", referral_date=dt.date(2017, 5, 2)
    )
    services.referral_update(
        acting_user=unit,
        referral=decided,
        expected_version=decided.version,
        decision=types["no_review"],
        decision_date=dt.date(2017, 5, 30),
    )
    c = client_for(unit)
    url = reverse("case_reviews:list")
    page = c.get(url).content.decode()
    assert "Case Q" in page and "Case D" in page and "2 records" in page
    assert "Not yet decided" in page and "No review" in page
    assert "Case D" not in c.get(url, {"year": "2016-17"}).content.decode()
    undecided = c.get(url, {"decision": "undecided"}).content.decode()
    assert "Case Q" in undecided and "Case D" not in undecided
    assert "Case Q" not in c.get(url, {"decision": "no_review"}).content.decode()
    assert "No records match" in c.get(url, {"stage": "published"}).content.decode()


def test_the_list_offers_what_each_role_may_do(client_for, unit, cr_manager, police_user):
    officer = client_for(unit).get(reverse("case_reviews:list")).content.decode()
    assert "Refer a case" in officer and "Due this week" in officer
    assert "Review types and themes" not in officer
    manager = client_for(cr_manager).get(reverse("case_reviews:list")).content.decode()
    assert "Review types and themes" in manager and "Import a file" in manager
    contributor = client_for(police_user).get(reverse("case_reviews:list")).content.decode()
    assert "Chronology requests" in contributor and "Due this week" not in contributor


def test_the_search_finds_a_child_by_last_name(client_for, unit, referral):
    c = client_for(unit)
    response = c.post(reverse("case_reviews:list"), {"q": "quillfeather"})
    page = c.get(response.url).content.decode()
    assert "Case Q" in page and "1 record" in page
    c.post(reverse("case_reviews:list"), {"q": "nobody"})
    assert "No records match" in c.get(reverse("case_reviews:list")).content.decode()


def test_the_web_import(client_for, cr_manager):
    upload = SimpleUploadedFile(
        "reviews.csv",
        b"reference,title,referral_date,decision,decision_date\n"
        b"CR-9,Case I,2016-06-06,scr,2016-07-01\n",
        content_type="text/csv",
    )
    c = client_for(cr_manager)
    response = c.post(reverse("case_reviews:import"), {"file": upload})
    assert response.status_code == 302
    assert Referral.objects.get(reference="CR-9").decision.code == "scr"
    assert "1 were created" in c.get(response.url).content.decode()


def test_the_report_page_shows_the_chart(client_for, cr_reader, referral):
    page = client_for(cr_reader).get(reverse("case_reviews:report"), {"year": "2016-17"})
    text = page.content.decode()
    assert "Case reviews: 2016-17" in text
    assert 'src="/case-reviews/report/2016-17/decisions.svg"' in text
    assert 'href="/case-reviews/report/2016-17.csv"' in text
    assert 'href="/case-reviews/report/2016-17.xlsx"' in text


def test_the_annual_report_chapter(db, referral):
    found = [(reg.slug, ch) for reg, ch in chapters() if reg.slug == "case-reviews"]
    ((slug, chapter),) = found
    assert (chapter.title, chapter.order) == ("Case reviews", 30)
    html = render_to_string(chapter.template, chapter.context(FinancialYear.parse("2016-17")))
    assert "1 case referred to the panel" in html
    assert "<img" not in html  # no chart URL outside the report page
