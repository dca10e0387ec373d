"""HistoryPaginator: the same pages as Django's Paginator, read ids first from the nearer end."""

import pytest
from django.core.paginator import Paginator

from safeguarding.core.models import Agency
from safeguarding.core.pagination import HistoryPaginator


@pytest.fixture
def agencies(db):
    Agency.objects.bulk_create(
        Agency(name=f"Agency {i:02d}", sector="school" if i % 3 else "health") for i in range(23)
    )
    return Agency.objects.filter(name__startswith="Agency ")


@pytest.mark.parametrize("per_page, orphans", [(5, 0), (5, 2), (7, 0), (50, 0)])
def test_every_page_is_the_plain_paginators_page(agencies, per_page, orphans):
    for records in (
        agencies.order_by("-name", "-id"),
        agencies.filter(sector="school").order_by("sector", "name"),
    ):
        plain = Paginator(records, per_page, orphans=orphans)
        ours = HistoryPaginator(records, per_page, orphans=orphans)
        assert ours.num_pages == plain.num_pages
        for number in plain.page_range:
            assert [a.pk for a in ours.page(number)] == [a.pk for a in plain.page(number)], number


def test_a_page_is_three_queries_whatever_its_depth(agencies, django_assert_num_queries):
    records = agencies.order_by("name", "id")
    for number in (1, 3, 5):
        paginator = HistoryPaginator(records, 5)
        with django_assert_num_queries(3):  # the count, the page's ids, its rows
            list(paginator.page(number))


def test_the_far_half_is_read_backwards_with_a_small_offset(agencies):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    paginator = HistoryPaginator(agencies.order_by("name", "id"), 5)
    paginator.count  # noqa: B018 (counted before the page is read)
    with CaptureQueriesContext(connection) as ctx:
        page = list(paginator.page(5))
    assert [a.name for a in page] == ["Agency 20", "Agency 21", "Agency 22"]
    ids_sql = ctx.captured_queries[0]["sql"]
    assert (
        "DESC" in ids_sql
        and "OFFSET" not in ids_sql.upper().split("LIMIT")[-1]
        or ("OFFSET 0" in ids_sql.upper())
    )


def test_an_unordered_list_falls_back_to_the_plain_page(agencies):
    records = agencies.order_by()
    assert len(HistoryPaginator(records, 5).page(2)) == 5
