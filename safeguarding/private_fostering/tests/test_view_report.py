"""The figures page, its chart and downloads: figures only, never names."""

import pytest
from django.urls import reverse

URLS = [
    reverse("private_fostering:report") + "?year=2016-17",
    reverse("private_fostering:report_chart", args=["2016-17", "kinds"]),
    reverse("private_fostering:report_download", args=["2016-17", "csv"]),
    reverse("private_fostering:report_download", args=["2016-17", "xlsx"]),
]


@pytest.mark.django_db
def test_reader_sees_figures_with_previous_year_and_no_names(client_for, pf_reader, notification):
    r = client_for(pf_reader).get(URLS[0])
    page = r.content.decode()
    assert r.status_code == 200
    assert "Zebedee" not in page
    assert "2015-16" in page and "Language student with a host family" in page
    assert "100.0%" in page  # the one new arrangement is a language student
    assert 'alt="Bar chart' in page


@pytest.mark.django_db
def test_chart_and_downloads(client_for, pf_reader, notification):
    c = client_for(pf_reader)
    chart = c.get(URLS[1])
    assert chart["Content-Type"] == "image/svg+xml" and b"<svg" in chart.content
    csv = c.get(URLS[2]).content.decode()
    assert "new_arrangements,1,0" in csv and "Zebedee" not in csv
    assert c.get(URLS[3]).status_code == 200


@pytest.mark.django_db
def test_bad_year_is_404(client_for, pf_reader):
    assert (
        client_for(pf_reader)
        .get(reverse("private_fostering:report_chart", args=["nonsense", "kinds"]))
        .status_code
        == 404
    )


@pytest.mark.django_db
def test_permissions(client_for, pf_officer, admin):
    for url in URLS:
        assert client_for(admin).get(url).status_code == 403  # no grant in the module
        assert client_for(None).get(url)["Location"].startswith("/sign-in/")
        assert client_for(pf_officer).post(url).status_code == 405


@pytest.mark.django_db
def test_the_chart_keeps_its_path_and_an_unknown_chart_is_404(client_for, pf_reader, notification):
    url = reverse("private_fostering:report_chart", args=["2016-17", "kinds"])
    assert url == "/private-fostering/report/2016-17/kinds.svg"
    c = client_for(pf_reader)
    svg = c.get(url).content.decode()
    assert "New private fostering arrangements by kind, 2016-17" in svg
    assert 'src="/private-fostering/report/2016-17/kinds.svg"' in c.get(URLS[0]).content.decode()
    other = reverse("private_fostering:report_chart", args=["2016-17", "outcomes"])
    assert c.get(other).status_code == 404


@pytest.mark.django_db
def test_downloads_keep_their_names(client_for, pf_reader, notification):
    import io

    from openpyxl import load_workbook

    c = client_for(pf_reader)
    assert c.get(URLS[2])["Content-Disposition"] == (
        'attachment; filename="private-fostering-2016-17.csv"'
    )
    xlsx = c.get(URLS[3])
    assert xlsx["Content-Disposition"] == 'attachment; filename="private-fostering-2016-17.xlsx"'
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames[-1] == "Private fostering 2016-17"


@pytest.mark.django_db
def test_every_year_back_to_the_first_notification_is_offered(
    client_for, pf_reader, pf_officer, notification
):
    import datetime as dt

    from safeguarding.private_fostering import services

    services.notification_create(
        acting_user=pf_officer,
        notification_date=dt.date(2003, 9, 1),
        carer_relationship="family_friend",
        category="other",
    )
    page = client_for(pf_reader).get(URLS[0]).content.decode()
    assert '<option value="2003-04">' in page and '<option value="2004-05">' in page
    assert "<title>Private fostering figures 2016-17" in page
    assert "Private fostering: 2016-17" in page
