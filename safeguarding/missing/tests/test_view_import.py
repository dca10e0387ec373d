"""The web upload uses the same import contract."""

from django.core.files.uploadedfile import SimpleUploadedFile

from safeguarding.missing.models import Episode

from .fixtures import assert_refuses_others
from .test_import import HEADER

URL = "/missing/import/"


def upload(body, name="episodes.csv"):
    return SimpleUploadedFile(name, (HEADER + body).encode(), content_type="text/csv")


def test_officer_imports_a_file(client_for, met_officer):
    client = client_for(met_officer)
    assert "child_reference" in client.get(URL).content.decode()
    response = client.post(
        URL, {"file": upload("E1,C-1,no,absent,2016-05-03T21:30,2016-05-04T01:00,\n")}
    )
    assert response.status_code == 302
    assert Episode.objects.get().reference == "E1"


def test_errors_are_listed_and_nothing_is_written(client_for, met_officer):
    response = client_for(met_officer).post(
        URL, {"file": upload("E1,C-1,no,absent,2016-05-03T21:30,2016-05-03T20:00,\n")}
    )
    assert "row 2, column end: The end cannot be before the start" in response.content.decode()
    assert not Episode.objects.exists()


def test_contributors_cannot_import(client_for, met_owner, met_outsider):
    assert client_for(met_owner).get(URL).status_code == 403
    assert client_for(met_outsider).post(URL, {"file": upload("")}).status_code == 403


def test_a_contributor_cannot_make_children_through_the_import(client_for, met_owner):
    """The import may still create a child for a new reference: officers only."""
    from safeguarding.children.models import Child

    row = "E1,C-NEW,no,absent,2016-05-03T21:30,2016-05-04T01:00,\n"
    assert client_for(met_owner).post(URL, {"file": upload(row)}).status_code == 403
    assert not Child.objects.exists() and not Episode.objects.exists()


def test_reader_anonymous_and_wrong_method(client_for, met_reader):
    assert assert_refuses_others(client_for, URL, reader=met_reader)
