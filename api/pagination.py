"""Page-number pagination that finds a page's ids first and only then loads those rows.

A deep page (`?page=200`) with OFFSET over the joined query makes PostgreSQL join every skipped row
to the beschikking, client and consultant before throwing it away. Counting off the ids on the
provider's (provider, start_date, id) index is an index-only scan; the 50 rows of the page are then
loaded, joined and prefetched by primary key.
"""

from rest_framework.pagination import PageNumberPagination


class IdsFirstPageNumberPagination(PageNumberPagination):
    def paginate_queryset(self, queryset, request, view=None):
        ids = super().paginate_queryset(queryset.values_list("pk", flat=True), request, view)
        if ids is None:
            return None
        ids = list(ids)
        rows = queryset.in_bulk(ids)
        return [rows[pk] for pk in ids if pk in rows]
