"""Every upload of the module goes through core's ImportForm and its size limit.

The defect: the return upload and the values import took any file, however large
(IMPORT_MAX_UPLOAD_BYTES was never checked). Both now refuse a bigger file with core's
message and import nothing of it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from safeguarding.performance.models import IndicatorValue

HEADER = "indicator,period,agency,value,numerator,denominator,commentary\n"


@pytest.fixture
def one_mb_limit(settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1_000_000


def oversized_file(tmp_path):
    """A valid file (one good row) made bigger than the limit by blank rows, which the
    import skips: only the size check can refuse it."""
    path = tmp_path / "values.csv"
    path.write_text(HEADER + "CAMHS-2,2016-04,CAMHS Trust,97.1,,,\n" + ",,,,,,\n" * 160_000)
    assert path.stat().st_size > 1_000_000
    return path


def test_the_return_upload_refuses_a_file_over_the_limit(
    client_for, one_mb_limit, trust_user, trust_return, cgas, tmp_path
):
    url = reverse("performance:return_upload", args=[trust_return.pk])
    with open(oversized_file(tmp_path), "rb") as handle:
        response = client_for(trust_user).post(url, {"file": handle}, follow=True)
    page = response.content.decode()
    assert "The file was not imported: The file is larger than 1 MB" in page
    assert not IndicatorValue.objects.exists()


def test_the_values_import_refuses_a_file_over_the_limit(
    client_for, one_mb_limit, bu_officer, cgas, tmp_path
):
    with open(oversized_file(tmp_path), "rb") as handle:
        response = client_for(bu_officer).post(reverse("performance:import"), {"file": handle})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "The file is larger than 1 MB" in page
    assert not IndicatorValue.objects.exists()


def test_the_values_import_page_imports_a_file_under_the_limit(
    client_for, bu_officer, cgas, tmp_path
):
    path = tmp_path / "values.csv"
    path.write_text(HEADER + "CAMHS-2,2016-04,CAMHS Trust,97.1,,,Above target\n")
    client = client_for(bu_officer)
    page = client.get(reverse("performance:import")).content.decode()
    assert "Import indicator values" in page and "commentary" in page
    with open(path, "rb") as handle:
        response = client.post(reverse("performance:import"), {"file": handle}, follow=True)
    assert "1 rows checked: 1 were created" in response.content.decode()
    assert IndicatorValue.objects.get(indicator=cgas).value == Decimal("97.1")


def test_the_return_upload_names_the_problems_and_imports_nothing(
    client_for, trust_user, trust_return, cgas, tmp_path
):
    path = tmp_path / "values.csv"
    path.write_text(HEADER + "CAMHS-2,2016-05,CAMHS Trust,97.1,,,\n")
    url = reverse("performance:return_upload", args=[trust_return.pk])
    with open(path, "rb") as handle:
        response = client_for(trust_user).post(url, {"file": handle}, follow=True)
    page = response.content.decode()
    assert "row 2, column period: this return is for 2016-04" in page
    assert not IndicatorValue.objects.exists()


def test_the_values_import_is_for_officers(client_for, trust_user, board):
    assert client_for(trust_user).get(reverse("performance:import")).status_code == 403
    assert client_for(board).get(reverse("performance:import")).status_code == 403
    assert client_for(None).get(reverse("performance:import")).status_code == 302
