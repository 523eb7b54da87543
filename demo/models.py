"""The demo generator's own bookkeeping (no case data)."""

from django.db import models


class HeldBackDefinition(models.Model):
    """A foreign key or secondary index of a case table, dropped for a bulk load on PostgreSQL and
    re-created after it (demo.bulkload). Kept in the database in the same transaction as the drop, so
    a load that died on the way leaves the statements here and the next load or reset runs them."""

    table = models.CharField(max_length=200)
    name = models.CharField(max_length=200)
    statement = models.TextField()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.table}.{self.name}"
