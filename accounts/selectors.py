from django.db.models import QuerySet

from indications.models import Client, Municipality

SEE_ALL_CLIENTS = "indications.view_all_clients"


def municipalities_of(user) -> QuerySet[Municipality]:
    """The municipalities the user works for, through their teams."""
    if user.has_perm(SEE_ALL_CLIENTS):
        return Municipality.objects.all()
    return Municipality.objects.filter(teams__members=user).distinct()


def clients_visible_to(user) -> QuerySet[Client]:
    """The clients a user may see: those of the municipalities of the user's teams."""
    if user.has_perm(SEE_ALL_CLIENTS):
        return Client.objects.all()
    return Client.objects.filter(municipality__in=municipalities_of(user))
