"""The figures page: the seed's dataset table, chart with its table, previous year, commentary."""

import io

from openpyxl import load_workbook

from safeguarding.core import registers
from safeguarding.missing import services
from safeguarding.missing.models import Commentary

from .fixtures import CHILD_NAME, assert_sign_in_redirect, at


def add_episodes(child, met_officer):
    services.episode_create(
        acting_user=met_officer,
        child=child,
        looked_after=True,
        episode_type="missing",
        start=at("2016-04-10 20:00"),
        end=at("2016-04-11 08:00"),
    )
    services.episode_create(
        acting_user=met_officer,
        child=child,
        looked_after=False,
        episode_type="absent",
        start=at("2015-06-10 20:00"),
        end=at("2015-06-11 08:00"),
    )


def test_reader_sees_figures_and_no_names(client_for, met_reader, child, met_officer):
    add_episodes(child, met_officer)
    response = client_for(met_reader).get("/missing/report/?year=2016-17")
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "Care missing" in html and "Home absent" in html and "Apr 16" in html and "Mar 17" in html
    )
    assert "2015-16" in html  # the previous year
    assert 'src="/missing/report/2016-17/episodes.svg"' in html and "alt=" in html
    assert CHILD_NAME not in html and "C-1001" not in html
    assert "Add<span" not in html  # readers cannot edit commentary


def test_the_default_year_is_the_last_completed_year_with_episodes(
    client_for, met_reader, child, met_officer
):
    add_episodes(child, met_officer)
    assert (
        "Missing and absent episodes: 2016-17"
        in client_for(met_reader).get("/missing/report/").content.decode()
    )


def test_chart_and_downloads(client_for, met_reader, child, met_officer):
    add_episodes(child, met_officer)
    client = client_for(met_reader)
    chart = client.get("/missing/report/2016-17/episodes.svg")
    assert chart["Content-Type"] == "image/svg+xml" and b"<svg" in chart.content
    csv = client.get("/missing/report/2016-17.csv")
    assert csv["Content-Disposition"].endswith('filename="missing-episodes-2016-17.csv"')
    lines = csv.content.decode().splitlines()
    assert "by_month.2016-04.care_missing,1,0" in lines
    # Last year's months beside this year's: June 2015 in the row of June 2016.
    assert "by_month.2016-06.home_absent,0,1" in lines
    assert not any(line.startswith("by_month.2015-") for line in lines)
    xlsx = client.get("/missing/report/2016-17.xlsx")
    assert xlsx["Content-Disposition"].endswith('filename="missing-episodes-2016-17.xlsx"')
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames[-1] == "Missing 2016-17"  # every figure, as before
    rows = {row[0]: row[1:] for row in book["Missing 2016-17"].iter_rows(values_only=True)}
    assert rows["by_month.2016-06.home_absent"] == (0, 1)
    assert client.get("/missing/report/2016-17.pdf").status_code == 404
    assert client.get("/missing/report/nonsense.csv").status_code == 404


def test_the_met_chair_edits_the_commentary_per_year_and_indicator(
    client_for, met_manager, met_reader, child, met_officer
):
    add_episodes(child, met_officer)  # the report offers the years that have records
    client = client_for(met_manager)
    url = "/missing/report/2016-17/commentary/care_absent/"
    page = client.get("/missing/report/?year=2016-17").content.decode()
    assert f'href="{url}"' in page  # the chair adds commentary from the figures page
    assert client.get(url).status_code == 200
    assert client.post(url, {"text": "Short absences from one placement"}).status_code == 302
    assert Commentary.objects.get(start_year=2016, indicator="care_absent").text.startswith("Short")
    assert (
        "Short absences"
        in client_for(met_reader).get("/missing/report/?year=2016-17").content.decode()
    )
    assert "Short absences" not in client.get("/missing/report/?year=2015-16").content.decode()
    assert client.get("/missing/report/2016-17/commentary/nonsense/").status_code == 404


def test_commentary_needs_the_manager(client_for, met_officer, met_reader, met_owner):
    url = "/missing/report/2016-17/commentary/care_absent/"
    for user in (met_officer, met_reader, met_owner):
        assert client_for(user).post(url, {"text": "x"}).status_code == 403
    assert not Commentary.objects.exists()
    assert_sign_in_redirect(client_for(None).get(url))


def test_figures_pages_refuse_anonymous_outsiders_and_wrong_methods(client_for, met_reader, admin):
    for url in (
        "/missing/report/",
        "/missing/report/2016-17/episodes.svg",
        "/missing/report/2016-17.csv",
    ):
        assert_sign_in_redirect(client_for(None).get(url))
        assert client_for(admin).get(url).status_code == 403
        assert client_for(met_reader).post(url).status_code == 405


def test_the_html_report_of_the_command_line(db, capsys):
    from django.core.management import call_command

    call_command("report", "missing-episodes", "--year", "2016-17", "--format", "html")
    assert "Missing and absent episodes: 2016-17" in capsys.readouterr().out


def test_the_annual_report_chapter(db):
    chapters = {reg.slug: chapter for reg, chapter in registers.chapters()}
    chapter = chapters["missing-episodes"]
    assert chapter.title == "Missing, exploited and trafficked children"
    assert chapter.order == 70 and chapter.template == "missing/report_tables.html"
