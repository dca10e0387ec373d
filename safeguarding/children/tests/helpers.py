"""What the children tests share (and the tests of the modules that record children)."""

import datetime as dt

CHILD_NAME = "Tallulah Featherstonehaugh"


def tallulah(*, acting_user, owning_agency):
    """The child whose name must never leak (looked after, reference C-1001)."""
    from safeguarding.children import services

    return services.child_create(
        acting_user=acting_user,
        owning_agency=owning_agency,
        external_reference="C-1001",
        first_name="Tallulah",
        last_name="Featherstonehaugh",
        date_of_birth=dt.date(2003, 2, 1),
        sex="female",
        looked_after=True,
    )


def assert_sign_in_redirect(response):
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def assert_refuses_others(client_for, url, *, reader, anonymous_method="get", wrong_method="put"):
    """The platform's common checks: reader 403 (no names), anonymous to sign-in; True when
    a wrong method gets 405."""
    response = client_for(reader).get(url)
    assert response.status_code == 403
    assert CHILD_NAME not in response.content.decode()
    assert_sign_in_redirect(getattr(client_for(None), anonymous_method)(url))
    return getattr(client_for(reader), wrong_method)(url).status_code == 405
