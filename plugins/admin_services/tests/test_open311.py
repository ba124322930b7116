"""Open311 GeoReport v2: a client written to the published spec, in JSON and XML."""

import json
from xml.etree import ElementTree as ET

import pytest

from plugins.admin_services.models import Open311Client, RequestState, ServiceRequest

from .conftest import VALID_NIK, adopt, switch
from .helpers import make_request

pytestmark = pytest.mark.django_db
HOST = "kreo.localhost"
BASE = "/admin_services/open311/v2/"
# Field lists of the GeoReport v2 specification.
SERVICE_FIELDS = {
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
}
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}
ATTRIBUTE_FIELDS = {
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
}


@pytest.fixture
def api_client(kreo):
    return Open311Client.objects.create(village=kreo, name="Aplikasi Lapor")


def get_json(client, path, **params):
    response = client.get(BASE + path + ".json", params, HTTP_HOST=HOST)
    return response, json.loads(response.content)


def get_xml(client, path, **params):
    response = client.get(BASE + path + ".xml", params, HTTP_HOST=HOST)
    assert response["Content-Type"].startswith("text/xml")
    return response, ET.fromstring(response.content)


def test_services_list_only_complaints(client, kreo, sktm, road):
    response, data = get_json(client, "services")
    assert response.status_code == 200
    assert [s["service_code"] for s in data] == ["jalan"]
    assert set(data[0]) == SERVICE_FIELDS and data[0]["metadata"] is True
    _, root = get_xml(client, "services")
    assert root.tag == "services"
    services = root.findall("service")
    assert [s.findtext("service_code") for s in services] == ["jalan"]
    assert {child.tag for child in services[0]} == SERVICE_FIELDS


def test_service_definition(client, road, sktm):
    _, data = get_json(client, "services/jalan")
    assert data["service_code"] == "jalan"
    attribute = data["attributes"][0]
    assert ATTRIBUTE_FIELDS <= set(attribute)
    assert attribute["datatype"] == "singlevaluelist" and attribute["values"][0]["key"] == "ringan"
    _, root = get_xml(client, "services/jalan")
    assert root.tag == "service_definition"
    xml_attribute = root.find("attributes/attribute")
    assert xml_attribute.findtext("code") == "tingkat"
    assert xml_attribute.find("values/value/key").text == "ringan"
    # letters are not Open311 services
    assert get_json(client, "services/sktm")[0].status_code == 404


def test_post_requires_api_key_and_creates_complaint(client, api_client, road):
    data = {
        "service_code": "jalan",
        "lat": "-7.0123",
        "long": "109.2345",
        "description": "Jembatan ambrol",
        "attribute[tingkat]": "berat",
        "first_name": "Siti",
        "email": "siti@example.org",
        "phone": "081234567890",
    }
    refused = client.post(BASE + "requests.xml", data, HTTP_HOST=HOST)
    assert refused.status_code == 403
    assert ET.fromstring(refused.content).find("error/code").text == "403"
    bad_key = client.post(BASE + "requests.json", {**data, "api_key": "x"}, HTTP_HOST=HOST)
    assert bad_key.status_code == 403 and json.loads(bad_key.content)[0]["code"] == 403
    assert not ServiceRequest.objects.exists()
    response = client.post(
        BASE + "requests.xml", {**data, "api_key": api_client.api_key}, HTTP_HOST=HOST
    )
    assert response.status_code == 201
    number = ET.fromstring(response.content).findtext("request/service_request_id")
    obj = ServiceRequest.objects.get(number=number)
    assert obj.answers == {"tingkat": "berat"} and str(obj.latitude) == "-7.012300"
    assert obj.state == RequestState.SUBMITTED and obj.transitions.count() == 1
    # bad input: unknown service, no location, bad attribute
    for bad in (
        {"service_code": "sktm"},
        {"lat": "", "long": ""},
        {"attribute[tingkat]": "parah"},
        {"lat": "abc"},
    ):
        reply = client.post(
            BASE + "requests.json", {**data, "api_key": api_client.api_key, **bad}, HTTP_HOST=HOST
        )
        assert reply.status_code == 400, bad
    assert ServiceRequest.objects.count() == 1


def test_requests_listing_has_spec_fields_and_no_personal_data(client, kreo, road, sktm):
    complaint = make_request(
        road, nik=VALID_NIK, name="Warga Rahasia", description="Lampu mati", address="Jl. Kreo"
    )
    letter = make_request(sktm, name="Pemohon Surat")
    response, data = get_json(client, "requests")
    assert [r["service_request_id"] for r in data] == [complaint.number]
    assert set(data[0]) == REQUEST_FIELDS
    assert data[0]["status"] == "open" and data[0]["address"] == "Jl. Kreo"
    body = response.content.decode()
    for secret in (VALID_NIK, "Warga Rahasia", "081234567890", letter.number, "Pemohon Surat"):
        assert secret not in body
    _, root = get_xml(client, "requests")
    assert root.tag == "service_requests"
    assert {c.tag for c in root.find("request")} == REQUEST_FIELDS
    # one request; letter requests are never reachable
    assert get_json(client, f"requests/{complaint.number}")[1][0]["service_code"] == "jalan"
    assert get_json(client, f"requests/{letter.number}")[0].status_code == 404


def test_requests_filters(client, road, officer):
    from plugins.admin_services.workflow import transition

    first = make_request(road, nik="")
    second = make_request(road, nik="")
    transition(second, RequestState.CHECKING, user=officer)
    transition(second, RequestState.COMPLETED, user=officer, note="Sudah diperbaiki")
    _, closed = get_json(client, "requests", status="closed")
    assert [r["service_request_id"] for r in closed] == [second.number]
    assert closed[0]["status_notes"] == "Sudah diperbaiki"
    _, open_ = get_json(client, "requests", status="open")
    assert [r["service_request_id"] for r in open_] == [first.number]
    _, by_id = get_json(client, "requests", service_request_id=f"{first.number},{second.number}")
    assert len(by_id) == 2
    assert get_json(client, "requests", service_code="drainase")[1] == []
    too_long = get_json(
        client, "requests", start_date="2026-01-01T00:00:00Z", end_date="2026-06-01T00:00:00Z"
    )
    assert too_long[0].status_code == 400
    assert get_json(client, "requests", start_date="kemarin")[0].status_code == 400
    assert get_json(client, "requests", status="maybe")[0].status_code == 400


def test_jurisdiction_and_villages(client, kreo, kandang, road):
    theirs = make_request(adopt(kandang, "jalan"), nik="")
    _, data = get_json(client, "requests")
    assert theirs.number not in json.dumps(data)
    assert get_json(client, f"requests/{theirs.number}")[0].status_code == 404
    assert get_json(client, "services", jurisdiction_id=kreo.code)[0].status_code == 200
    assert get_json(client, "services", jurisdiction_id=kandang.code)[0].status_code == 404
    switch(kreo, False)
    assert client.get(BASE + "services.json", HTTP_HOST=HOST).status_code == 404


def test_api_key_encrypted_at_rest(api_client):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT api_key FROM admin_services_open311client WHERE id = %s", [api_client.pk]
        )
        raw = cursor.fetchone()[0]
    assert raw.startswith("enc1:") and api_client.api_key not in raw
