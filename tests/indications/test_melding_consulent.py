"""The consulent of a melding (and an aanvraag) is an active user with the consulent role in a team
that serves the client's municipality: in the form's choices and in the service."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError

from accounts.roles import CONSULENT, CONTRACTMANAGER, FUNCTIONEEL_BEHEERDER
from indications import services
from indications.models import Melding
from tests.factories import ClientFactory, TeamFactory, UserFactory, staff_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(consultant, team_lead):
    zwijndrecht = TeamFactory(name="Team Zwijndrecht", municipalities=["Zwijndrecht"])
    inactive = staff_member(CONSULENT, username="oud-collega", first_name="Oud")
    inactive.is_active = False
    inactive.save()
    beheerder = staff_member(FUNCTIONEEL_BEHEERDER, username="beheerder", is_superuser=True)
    TeamFactory(name="Team Dordrecht").members.add(beheerder)  # a superuser in the team is still no consulent
    return {
        "consultant": consultant,
        "team_lead": team_lead,
        "other_team": staff_member(CONSULENT, username="consulent-zwijndrecht", team=zwijndrecht),
        "contract_manager": staff_member(CONTRACTMANAGER, username="contractmanager"),
        "beheerder": beheerder,
        "inactive": inactive,
        "no_role": UserFactory(username="zonder-rol"),
    }


def test_the_form_offers_only_consulenten_of_the_clients_teams(client, people):
    client.force_login(people["consultant"])
    ib_client = ClientFactory()  # Dordrecht
    response = client.get(f"/clienten/{ib_client.uuid}/melding/")
    offered = set(response.context["form"].fields["consultant"].queryset)
    assert offered == {people["consultant"], people["team_lead"]}


@pytest.mark.parametrize("who", ["other_team", "contract_manager", "beheerder", "inactive", "no_role"])
def test_the_service_refuses_anyone_else(people, who, today):
    ib_client = ClientFactory()
    with pytest.raises(ValidationError) as failure:
        services.register_melding(
            client=ib_client,
            received_on=today,
            channel="telefoon",
            question="Hulp",
            consultant=people[who],
            by=people["consultant"],
            today=today,
        )
    assert "consultant" in failure.value.error_dict
    assert not Melding.objects.exists()
    with pytest.raises(ValidationError) as failure:
        services.register_aanvraag(
            client=ib_client, received_on=today, consultant=people[who], by=people["consultant"], today=today
        )
    assert "consultant" in failure.value.error_dict


def test_a_posted_outsider_is_a_form_error(client, people, today):
    client.force_login(people["consultant"])
    ib_client = ClientFactory()
    data = {
        "received_on": today.isoformat(),
        "channel": "telefoon",
        "question": "Hulp",
        "consultant": people["contract_manager"].pk,
    }
    response = client.post(f"/clienten/{ib_client.uuid}/melding/", data)
    assert response.status_code == 200 and "consultant" in response.context["form"].errors
    assert not Melding.objects.exists()


def test_a_user_with_the_permission_itself_counts_as_consulent(people, today):
    user = people["no_role"]
    user.user_permissions.add(Permission.objects.get(codename="change_intake"))
    TeamFactory(name="Team Dordrecht").members.add(user)
    melding = services.register_melding(
        client=ClientFactory(),
        received_on=today,
        channel="balie",
        question="Hulp",
        consultant=user,
        by=people["consultant"],
        today=today,
    )
    assert melding.consultant == user
