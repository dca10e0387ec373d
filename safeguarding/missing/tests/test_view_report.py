"""The figures page: the seed's dataset table, chart with its table, previous year, commentary."""

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
    csv = client.get("/missing/report/2016-17.csv").content.decode()
    assert "by_month.2016-04.care_missing,1,0" in csv
    assert client.get("/missing/report/2016-17.xlsx").status_code == 200
    assert client.get("/missing/report/2016-17.pdf").status_code == 404
    assert client.get("/missing/report/nonsense.csv").status_code == 404


def test_the_met_chair_edits_the_commentary_per_year_and_indicator(
    client_for, met_manager, met_reader
):
    client = client_for(met_manager)
    url = "/missing/report/2016-17/commentary/care_absent/"
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
