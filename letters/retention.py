"""The letters' part in the destruction of a closed client file (indications.retention).

A sent letter is frozen: the trigger of migration 0002 refuses any UPDATE of its content, its PDF or
its hash, so a letter cannot be anonymised in place. Its DELETE is allowed (the path the demo's reset
and an AVG erasure use), so a destroyed file's letters are deleted, rows and stored PDFs: the rows in
the anonymisation's transaction (corrections before the letters they correct, which they protect),
the files once that transaction has committed (a rollback leaves them in place). What stays is the
count in the proposal and its audit event. Registered in LettersConfig.ready()."""

from django.db import transaction

from indications.hooks import ClientAnonymisation

from .models import Letter


def delete_letters_of(change: ClientAnonymisation) -> dict[str, int]:
    letters = Letter.objects.filter(client_id=change.client_id)
    files = [name for name in letters.exclude(pdf="").values_list("pdf", flat=True)]
    deleted = 0
    while True:
        # The letters no other letter still corrects: first the latest corrections, then what they corrected.
        free = list(letters.exclude(corrections__isnull=False).values_list("pk", flat=True))
        if not free:
            break
        deleted += Letter.objects.filter(pk__in=free).delete()[0]
    storage = Letter._meta.get_field("pdf").storage

    def remove_files():
        for name in files:
            storage.delete(name)

    transaction.on_commit(remove_files)
    return {Letter._meta.label_lower: deleted}
