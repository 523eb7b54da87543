"""Page-number pagination that finds a page's ids first and only then loads those rows.

A deep page (`?page=200`) with OFFSET over the joined query makes PostgreSQL join every skipped row
to the beschikking, client and consultant before throwing it away. Counting off the ids on the
provider's (provider, start_date, id) index is an index-only scan; the 50 rows of the page are then
loaded, joined and prefetched by primary key; or, when the view has `page_rows(queryset, ids)`, read
by it (the toewijzingen: plain values, no model objects).
"""

from rest_framework.pagination import PageNumberPagination


class IdsFirstPageNumberPagination(PageNumberPagination):
    def paginate_queryset(self, queryset, request, view=None):
        ids = super().paginate_queryset(queryset.values_list("pk", flat=True), request, view)
        if ids is None:
            return None
        ids = list(ids)
        page_rows = getattr(view, "page_rows", None)
        if page_rows is not None:
            return page_rows(queryset, ids)
        rows = queryset.in_bulk(ids)
        return [rows[pk] for pk in ids if pk in rows]
