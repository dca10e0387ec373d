"""`safeguarding import elearning FILE`: all-or-nothing, idempotent, exact columns."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from safeguarding.training.models import ELearningCompletion

pytestmark = pytest.mark.django_db

HEADER = "reference,learner_name,email,agency,course,completed_date\n"


def _file(tmp_path, body):
    path = tmp_path / "elearning.csv"
    path.write_text(HEADER + body)
    return str(path)


def test_import_and_reimport(tmp_path, school, capsys):
    path = _file(
        tmp_path,
        f"EL1,Ann Lee,ann@example.org,{school.name},Safeguarding Level 1,2016-05-01\n"
        "EL2,Bob Ray,,Unknown Ltd,Safeguarding Level 1,2016-06-01\n",
    )
    call_command("import", "elearning", path)
    assert ELearningCompletion.objects.count() == 2
    assert ELearningCompletion.objects.get(reference="EL1").owning_agency == school
    call_command("import", "elearning", path)
    assert ELearningCompletion.objects.count() == 2
    assert "2 unchanged" in capsys.readouterr().out


def test_invalid_rows_write_nothing(tmp_path, capsys):
    path = _file(
        tmp_path,
        "EL1,Ann Lee,not-an-email,,Safeguarding Level 1,2016-05-01\n"
        "EL2,,,,Safeguarding Level 1,01/06/2016\n",
    )
    with pytest.raises(SystemExit) as exc:
        call_command("import", "elearning", path)
    assert exc.value.code == 2
    err = capsys.readouterr()
    lines = (err.out + err.err).splitlines()
    assert "row 2, column email: 'not-an-email' is not an email address" in lines
    assert "row 3, column learner_name: is required" in lines
    assert any(line.startswith("row 3, column completed_date:") for line in lines)
    assert not ELearningCompletion.objects.exists()


def test_import_page(client_for, lead, coordinator, figures_reader):
    url = reverse("training:import")
    assert client_for(lead).get(url).status_code == 200
    assert client_for(coordinator).get(url).status_code == 403
    assert client_for(figures_reader).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302
    assert client_for(lead).put(url).status_code == 405
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "e.csv", (HEADER + "EL5,Cy Do,,,Safeguarding Level 1,2016-07-01\n").encode()
    )
    response = client_for(lead).post(url, {"file": upload})
    assert response.status_code == 302
    assert ELearningCompletion.objects.filter(reference="EL5").exists()


def test_web_import_keeps_the_learners_own_agency(client_for, lead, school):
    """A learner is counted for the agency the file names, never the importer's."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "e.csv",
        (
            HEADER + f"EL6,Di Ek,,{school.name},Safeguarding Level 1,2016-07-01\n"
            "EL7,Ed Fo,,Unknown Ltd,Safeguarding Level 1,2016-07-02\n"
        ).encode(),
    )
    response = client_for(lead).post(reverse("training:import"), {"file": upload}, follow=True)
    assert "2 were created" in response.content.decode()
    agencies = dict(ELearningCompletion.objects.values_list("reference", "owning_agency"))
    assert agencies == {"EL6": school.pk, "EL7": None}
    assert lead.agency_id not in agencies.values()


def test_import_page_names_the_columns(client_for, lead):
    page = client_for(lead).get(reverse("training:import")).content.decode()
    assert '<h1 class="govuk-heading-l">Import e-learning completions</h1>' in page
    for column in ("reference", "learner_name", "email", "agency", "course", "completed_date"):
        assert f">{column}" in page


def test_quotes_page(client_for, lead, coordinator):
    url = reverse("training:quotes") + "?year=2016-17"
    assert client_for(lead).get(url).status_code == 200
    assert client_for(coordinator).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302
    assert client_for(lead).put(url).status_code == 405


@pytest.mark.parametrize("evaluation", ["abc", "", "1.5", "-1", "²", "99999999999999999999999"])
def test_quote_choice_for_an_evaluation_that_is_not_one_is_not_found(client_for, lead, evaluation):
    """As for an id that is not there: a 404 page, never a server error."""
    response = client_for(lead).post(
        reverse("training:quotes"), {"evaluation": evaluation, "selected": "yes"}
    )
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
