"""Pages of a list whose cost does not grow with history (issue 16).

A plain ``LIMIT 50 OFFSET n`` makes the database build every skipped row, joins and all, so
page 1,500 of ten years of episodes costs thirty times page 1. ``HistoryPaginator`` reads a
page in two steps:

1. the page's ids only, through the index that matches the list's filter and order (skipping
   index entries is cheap; building joined rows is not), from whichever end of the list is
   nearer: a page in the second half is read in the reverse order with a small offset;
2. then those rows by primary key, with their joins and annotations, in the list's order.

The count is the paginator's usual ``COUNT(*)``, which an index serves.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models.sql.where import WhereNode


class HistoryPaginator(Paginator):
    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        records = self.object_list
        if not hasattr(records, "values_list") or not records.ordered:
            return super().page(number)
        if bottom > self.count - top:  # nearer the end: count back from it
            ids = list(
                records.reverse().values_list("pk", flat=True)[
                    self.count - top : self.count - bottom
                ]
            )
            ids.reverse()
        else:
            ids = list(records.values_list("pk", flat=True)[bottom:top])
        # The rows by primary key only: the list's filters chose the ids already, and kept
        # here they let the planner walk the filter's index instead of fetching 50 rows.
        by_pk = records._chain()
        by_pk.query.where = WhereNode()
        rows = {row.pk: row for row in by_pk.filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)
