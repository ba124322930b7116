"""Open311 GeoReport v2: a client written to the published spec, in JSON and XML."""

import json
from xml.etree import ElementTree as ET

import pytest

from plugins.admin_services.models import Open311Client, RequestState, ServiceRequest
from plugins.admin_services.services import attach_documents
from plugins.admin_services.uploads import clean_upload

from .conftest import VALID_NIK, adopt, switch
from .helpers import make_request, upload

pytestmark = pytest.mark.django_db
HOST = "kreo.localhost"
BASE = "/open311/v2/"
PORTAL = "localhost"
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


def get_json(client, path, host=HOST, **params):
    response = client.get(BASE + path + ".json", params, HTTP_HOST=host)
    return response, json.loads(response.content)


def get_xml(client, path, host=HOST, **params):
    response = client.get(BASE + path + ".xml", params, HTTP_HOST=host)
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


def add_document(service_request, name, data):
    attach_documents(service_request, [(name, clean_upload(upload(name, data)))])
    return service_request.documents.order_by("-pk").first()


def test_portal_requires_a_jurisdiction(client, kreo, kandang, road):
    switch(kandang, False)
    for fmt in ("json", "xml"):
        missing = client.get(BASE + f"services.{fmt}", HTTP_HOST=PORTAL)
        assert missing.status_code == 400
        if fmt == "json":
            assert json.loads(missing.content)[0]["code"] == 400
        else:
            assert ET.fromstring(missing.content).findtext("error/code") == "400"
        unknown = client.get(
            BASE + f"requests.{fmt}", {"jurisdiction_id": "99.99.99.9999"}, HTTP_HOST=PORTAL
        )
        assert unknown.status_code == 404
    # a real village where the plugin is off is not served either
    off = get_json(client, "services", host=PORTAL, jurisdiction_id=kandang.code)[0]
    assert off.status_code == 404
    response, data = get_json(client, "services", host=PORTAL, jurisdiction_id=kreo.code)
    assert response.status_code == 200 and [s["service_code"] for s in data] == ["jalan"]
    _, root = get_xml(client, "services/jalan", host=PORTAL, jurisdiction_id=kreo.code)
    assert root.tag == "service_definition" and root.findtext("service_code") == "jalan"


def test_portal_lists_and_accepts_requests_of_the_named_village(
    client, kreo, kandang, road, sktm, api_client
):
    ours = make_request(road, nik=VALID_NIK, name="Warga Rahasia", description="Lampu mati")
    letter = make_request(sktm, name="Pemohon Surat")
    theirs = make_request(adopt(kandang, "jalan"), nik="", description="Milik Kandang")
    response, data = get_json(client, "requests", host=PORTAL, jurisdiction_id=kreo.code)
    assert [r["service_request_id"] for r in data] == [ours.number]
    assert set(data[0]) == REQUEST_FIELDS
    body = response.content.decode()
    for secret in (VALID_NIK, "Warga Rahasia", "081234567890", letter.number, theirs.number):
        assert secret not in body
    _, root = get_xml(client, "requests", host=PORTAL, jurisdiction_id=kandang.code)
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [theirs.number]
    assert {c.tag for c in root.find("request")} == REQUEST_FIELDS
    one = get_json(client, f"requests/{ours.number}", host=PORTAL, jurisdiction_id=kreo.code)
    assert one[1][0]["description"] == "Lampu mati"
    wrong = get_json(client, f"requests/{ours.number}", host=PORTAL, jurisdiction_id=kandang.code)
    assert wrong[0].status_code == 404
    # POST: the api_key must be one of the named village's clients
    post = {
        "service_code": "jalan",
        "address_string": "Jembatan Kali Kreo",
        "description": "Ambrol",
        "attribute[tingkat]": "berat",
        "api_key": api_client.api_key,
    }
    no_jurisdiction = client.post(BASE + "requests.json", post, HTTP_HOST=PORTAL)
    assert no_jurisdiction.status_code == 400
    other = client.post(
        BASE + "requests.json", {**post, "jurisdiction_id": kandang.code}, HTTP_HOST=PORTAL
    )
    assert other.status_code == 403
    created = client.post(
        BASE + "requests.xml", {**post, "jurisdiction_id": kreo.code}, HTTP_HOST=PORTAL
    )
    assert created.status_code == 201
    number = ET.fromstring(created.content).findtext("request/service_request_id")
    assert ServiceRequest.objects.get(number=number).village == kreo
    assert ServiceRequest.objects.filter(village=kandang).count() == 1


def test_village_host_refuses_another_jurisdiction_in_spec_format(client, kreo, kandang, road):
    response, root = get_xml(client, "services", jurisdiction_id=kandang.code)
    assert response.status_code == 404
    assert root.tag == "errors" and root.findtext("error/code") == "404"
    assert root.findtext("error/description")


def test_media_url_serves_the_cleaned_complaint_photo_only(client, kreo, kandang, road, sktm):
    from .helpers import PDF_BYTES, jpeg_with_exif

    complaint = make_request(road, nik="", description="Jembatan ambrol")
    add_document(complaint, "laporan.pdf", PDF_BYTES)
    photo = add_document(complaint, "foto.jpg", jpeg_with_exif())
    bare = make_request(road, nik="", description="Tanpa foto")
    letter = make_request(sktm)
    letter_scan = add_document(letter, "ktp.jpg", jpeg_with_exif())
    _, data = get_json(client, "requests")
    urls = {r["service_request_id"]: r["media_url"] for r in data}
    assert urls[bare.number] == ""
    media_url = urls[complaint.number]
    assert media_url.startswith(f"http://{HOST}{BASE}media/{photo.pk}/?s=")
    _, root = get_xml(client, f"requests/{complaint.number}")
    assert root.findtext("request/media_url") == media_url
    path = media_url.removeprefix(f"http://{HOST}")
    response = client.get(path, HTTP_HOST=HOST)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    content = b"".join(response.streaming_content)
    assert content[:3] == b"\xff\xd8\xff" and b"KameraRahasia" not in content
    # the portal serves it too; another village's host does not
    assert client.get(path, HTTP_HOST=PORTAL).status_code == 200
    assert client.get(path, HTTP_HOST="kandang.localhost").status_code == 404
    # no signature, a wrong one, or a letter's upload (even correctly signed): 404
    assert client.get(f"{BASE}media/{photo.pk}/", HTTP_HOST=HOST).status_code == 404
    assert client.get(f"{BASE}media/{photo.pk}/?s=abc", HTTP_HOST=HOST).status_code == 404
    from plugins.admin_services.open311 import media_path

    assert client.get(media_path(letter_scan), HTTP_HOST=HOST).status_code == 404
    switch(kreo, False)
    assert client.get(path, HTTP_HOST=PORTAL).status_code == 404


def test_discovery_and_tokens(client, kreo, road, sktm):
    response, data = get_json(client, "discovery")
    assert response.status_code == 200
    assert {"changeset", "contact", "key_service", "endpoints"} <= set(data)
    endpoint = data["endpoints"][0]
    assert endpoint["url"] == f"http://{HOST}/open311/v2"
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    _, root = get_xml(client, "discovery", host=PORTAL)
    assert root.tag == "discovery"
    assert (
        root.findtext("endpoints/endpoint/specification") == "http://wiki.open311.org/GeoReport_v2"
    )
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "text/xml",
        "application/json",
    ]
    complaint = make_request(road, nik="")
    letter = make_request(sktm)
    _, tokens = get_json(client, f"tokens/{complaint.number}")
    assert tokens == [{"service_request_id": complaint.number, "token": complaint.number}]
    _, root = get_xml(client, f"tokens/{complaint.number}")
    assert root.findtext("request/service_request_id") == complaint.number
    assert get_json(client, f"tokens/{letter.number}")[0].status_code == 404


def test_old_plugin_prefix_is_gone(client, kreo, road):
    assert client.get("/admin_services/open311/v2/services.json", HTTP_HOST=HOST).status_code == 404
