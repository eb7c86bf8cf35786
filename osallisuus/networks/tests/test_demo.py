"""The demo: Leena, Matti and Eero each see their own part; Aino's map has two versions."""

import pytest

from osallisuus.core.demo import load_all
from osallisuus.networks import permissions, selectors


@pytest.mark.django_db
def test_demo__each_persona_sees_their_part():
    ctx = load_all(only={"accounts", "networks"})
    names = {
        key: set(permissions.networks_of_member(ctx.users[key]).values_list("name", flat=True))
        for key in ("network_coordinator", "network_member", "expert")
    }
    assert len(names["network_coordinator"]) == 3
    assert names["network_member"] == {
        "Järvilahden järjestöjen ja kaupungin yhteistyöverkosto",
        "Nuorten osallisuushanke",
    }
    assert names["expert"] == {"Ehkäisevän päihdetyön alueellinen verkosto", "Nuorten osallisuushanke"}
    assert selectors.closing_due_count(actor=ctx.users["network_coordinator"]) == 1
    # the project network's closing evaluation waits for Matti and Eero
    from osallisuus.measurement import selectors as measurement

    for key in ("network_member", "expert"):
        assert measurement.my_invitations(person=ctx.users[key]).filter(round__context_module="networks").count() == 1
    aino_map = selectors.maps_for(actor=ctx.users["own_worker"]).get()
    assert aino_map.versions.count() == 2
