"""Changing an indicator: only from the version the form was made from (service and page)."""

import pytest
from django.urls import reverse

from safeguarding.core.writes import StaleRecord
from safeguarding.performance import services
from safeguarding.performance.models import Indicator


def form_data(indicator, **changes):
    data = {
        "reference": indicator.reference,
        "name": indicator.name,
        "definition": indicator.definition,
        "group": indicator.group_id,
        "owning_agency": indicator.owning_agency_id,
        "frequency": indicator.frequency,
        "unit": indicator.unit,
        "polarity": indicator.polarity,
        "target": str(indicator.target),
        "tolerance": str(indicator.tolerance),
        "source": indicator.source,
        "order": "0",
        "is_active": "on",
    }
    data.update(changes)
    return data


def test_the_service_refuses_a_change_without_a_version(lead, cgas):
    with pytest.raises(StaleRecord):
        services.indicator_save(acting_user=lead, indicator=cgas, name="Renamed")
    assert Indicator.objects.get(pk=cgas.pk).name == "Paired CGAS recorded"


def test_the_service_refuses_a_stale_version(lead, cgas):
    services.indicator_save(acting_user=lead, indicator=cgas, expected_version=1, name="First")
    with pytest.raises(StaleRecord):
        services.indicator_save(acting_user=lead, indicator=cgas, expected_version=1, name="Late")
    stored = Indicator.objects.get(pk=cgas.pk)
    assert stored.name == "First" and stored.version == 2


def test_the_page_saves_a_change_from_the_current_version(client_for, lead, cgas):
    url = reverse("performance:indicator_edit", args=[cgas.pk])
    page = client_for(lead).get(url).content.decode()
    assert 'name="version" value="1"' in page and "Change CAMHS-2" in page
    response = client_for(lead).post(url, form_data(cgas, name="Renamed", version="1"))
    assert response.status_code == 302
    assert response["Location"] == reverse("performance:indicator", args=[cgas.pk])
    stored = Indicator.objects.get(pk=cgas.pk)
    assert stored.name == "Renamed" and stored.version == 2


def test_the_page_refuses_a_form_without_its_version(client_for, lead, cgas):
    url = reverse("performance:indicator_edit", args=[cgas.pk])
    response = client_for(lead).post(url, form_data(cgas, name="Renamed"))
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert "does not say which copy of the record" in page
    assert Indicator.objects.get(pk=cgas.pk).name == "Paired CGAS recorded"


def test_the_page_refuses_a_stale_version(client_for, lead, cgas):
    url = reverse("performance:indicator_edit", args=[cgas.pk])
    services.indicator_save(acting_user=lead, indicator=cgas, expected_version=1, name="First")
    response = client_for(lead).post(url, form_data(cgas, name="Late", version="1"))
    page = response.content.decode()
    assert "Someone else changed this record after you opened it" in page
    assert Indicator.objects.get(pk=cgas.pk).name == "First"


def test_a_new_indicator_needs_no_version(client_for, lead, cgas):
    data = form_data(cgas, reference="CAMHS-9", name="New one")
    response = client_for(lead).post(reverse("performance:indicator_create"), data)
    assert response.status_code == 302
    created = Indicator.objects.get(reference="CAMHS-9")
    assert created.version == 1 and response["Location"].endswith(f"/{created.pk}/")


def test_a_rule_broken_is_shown_beside_its_field(client_for, lead, cgas):
    url = reverse("performance:indicator_edit", args=[cgas.pk])
    response = client_for(lead).post(url, form_data(cgas, target="120", version="1"))
    assert "A percentage target must be between 0 and 100" in response.content.decode()
    assert Indicator.objects.get(pk=cgas.pk).version == 1


def test_only_a_manager_changes_an_indicator(client_for, bu_officer, board, cgas):
    url = reverse("performance:indicator_edit", args=[cgas.pk])
    assert client_for(bu_officer).get(url).status_code == 403
    assert client_for(board).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302


def test_an_unknown_indicator_is_404(client_for, lead, cgas):
    url = reverse("performance:indicator_edit", args=[cgas.pk + 100])
    assert client_for(lead).get(url).status_code == 404


def test_the_page_changes_how_a_period_is_aggregated(client_for, lead, cgas):
    url = reverse("performance:indicator_edit", args=[cgas.pk])
    page = client_for(lead).get(url).content.decode()
    assert 'name="aggregation"' in page
    response = client_for(lead).post(url, form_data(cgas, aggregation="latest", version="1"))
    assert response.status_code == 302
    assert Indicator.objects.get(pk=cgas.pk).aggregation == "latest"
    refused = client_for(lead).post(url, form_data(cgas, aggregation="sum", version="2"))
    assert refused.status_code == 200 and "Only a count adds up" in refused.content.decode()
    assert Indicator.objects.get(pk=cgas.pk).aggregation == "latest"
