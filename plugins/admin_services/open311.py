"""Open311 GeoReport v2 at the site root, ``/open311/v2/`` (plugins/admin_services/root_urls.py).

* On a village host the jurisdiction is implied by the host; a ``jurisdiction_id`` parameter, if
  given, must be the village's official area code (else the spec's 404 error).
* On the district portal ``jurisdiction_id`` (a village's area code, e.g. ``33.27.07.2013``) is
  required: 400 when missing, 404 when no village with this plugin on has that code.

Only complaint services (pengaduan) are offered and listed; letter requests never appear in any
response. No personal data is ever returned: no name, NIK, phone or e-mail;
``service_request_id`` is the short request number.

Endpoints (``.json`` or ``.xml``):

* ``GET discovery``: the endpoint, its formats and how to get an api_key;
* ``GET services``: the village's active complaint services;
* ``GET services/<code>``: a service definition with its attributes (typed fields);
* ``GET requests``: filters ``service_request_id`` (comma list), ``service_code``,
  ``start_date``/``end_date`` (W3C datetime, at most 90 days apart; default the last 90 days),
  ``status`` (open/closed); at most 1000 results, newest first;
* ``POST requests``: ``api_key`` of a client registered in the admin (:class:`Open311Client`),
  ``service_code``, ``lat``/``long`` or ``address_string``, ``description``,
  ``attribute[<code>]``, optional ``first_name``, ``last_name``, ``email``, ``phone`` (stored
  encrypted, never shown); answers the new ``service_request_id`` at once, with the same value
  as ``token``;
* ``GET requests/<id>``: one request;
* ``GET tokens/<token>``: the ``service_request_id`` of a token (the token is the number).

``media_url`` of a request is the public address of its first photo
(``/open311/v2/media/<pk>/?s=<signature>``): a JPEG/PNG attached to a complaint, re-encoded
without metadata on upload (plugins/admin_services/uploads.py). Documents of letter requests
and PDFs are never served there; the signature keeps the addresses unguessable.

Errors follow the spec: a list of ``{code, description}`` (JSON) or ``<errors><error>`` (XML).
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from xml.etree import ElementTree as ET

from django.core import signing
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.dateparse import parse_datetime
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from core.pluginhost.registry import plugin_key_for_module
from core.pluginhost.switches import is_enabled
from core.villages.crypto import blind_index
from core.villages.models import Village
from core.website import ratelimit

from .forms import field_for
from .models import (
    CLOSED_STATES,
    Open311Client,
    RequestDocument,
    RequestTransition,
    Service,
    ServiceKind,
    ServiceRequest,
)
from .services import draw_number
from .workflow import record_submission

PLUGIN_KEY = plugin_key_for_module(__name__)
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-30T00:00:00+07:00"  # date of the last change of this API's shape
MAX_RESULTS = 1000
MAX_SPAN = datetime.timedelta(days=90)
KEY_PURPOSE = "admin_services.open311"
MEDIA_SALT = "admin_services.open311.media"
PHOTO_TYPES = ("image/jpeg", "image/png")
POST_LIMIT_PER_KEY = 100


class Open311Error(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status = status
        self.description = description


def w3c(value: datetime.datetime | None) -> str:
    if value is None:
        return ""
    return timezone.localtime(value).isoformat(timespec="seconds")


def _xml_value(parent: ET.Element, name: str, value) -> None:
    child = ET.SubElement(parent, name)
    if isinstance(value, bool):
        child.text = "true" if value else "false"
    elif isinstance(value, list):
        item_tag = name[:-1] if name.endswith("s") else "item"
        for item in value:
            if isinstance(item, dict):
                _xml_dict(child, item_tag, item)
            else:
                _xml_value(child, item_tag, item)
    elif isinstance(value, dict):
        for key, inner in value.items():
            _xml_value(child, key, inner)
    elif value is not None:
        child.text = str(value)


def _xml_dict(parent: ET.Element, tag: str, data: dict) -> None:
    element = ET.SubElement(parent, tag)
    for key, value in data.items():
        _xml_value(element, key, value)


def render(fmt: str, root: str, item: str, data, status: int = 200) -> HttpResponse:
    """``data`` (a list of dicts, or one dict for a definition) in JSON or the spec's XML."""
    if fmt == "json":
        return JsonResponse(data, safe=False, status=status)
    top = ET.Element(root)
    if isinstance(data, list):
        for entry in data:
            _xml_dict(top, item, entry)
    else:
        for key, value in data.items():
            _xml_value(top, key, value)
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(top, encoding="utf-8")
    return HttpResponse(body, content_type="text/xml; charset=utf-8", status=status)


def error(fmt: str, status: int, description: str) -> HttpResponse:
    return render(fmt, "errors", "error", [{"code": status, "description": description}], status)


def jurisdiction_param(request) -> str:
    return (request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or "").strip()


def jurisdiction(request) -> Village:
    """The village an Open311 request is about: the host's, or on the district portal the one
    named by ``jurisdiction_id`` among the villages where this plugin is on."""
    wanted = jurisdiction_param(request)
    if getattr(request, "village_id", None):
        if wanted and wanted != request.village.code:
            raise Open311Error(404, "jurisdiction_id tidak dilayani di alamat ini")
        return request.village
    if not wanted:
        raise Open311Error(
            400, "jurisdiction_id wajib diisi: kode wilayah desa, mis. 33.27.07.2013"
        )
    village = Village.objects.filter(code=wanted[:20]).first()
    if village is None or not is_enabled(village, PLUGIN_KEY):
        raise Open311Error(404, "jurisdiction_id tidak dikenal")
    return village


def service_json(service: Service) -> dict:
    return {
        "service_code": service.code,
        "service_name": service.name,
        "description": service.description,
        "metadata": bool(service.fields),
        "type": "realtime",
        "keywords": "",
        "group": "pengaduan",
    }


def definition_json(service: Service) -> dict:
    attributes = []
    for order, item in enumerate(service.fields or [], start=1):
        attribute = {
            "variable": True,
            "code": item["code"],
            "datatype": item["datatype"],
            "required": bool(item.get("required")),
            "datatype_description": item.get("description", ""),
            "order": order,
            "description": item["label"],
        }
        if item.get("values"):
            attribute["values"] = [
                {"key": v.get("key"), "name": v.get("name") or v.get("key")} for v in item["values"]
            ]
        attributes.append(attribute)
    return {"service_code": service.code, "attributes": attributes}


# -- photos --------------------------------------------------------------------------------


def media_signature(pk: int) -> str:
    return signing.Signer(salt=MEDIA_SALT).signature(str(pk))


def media_path(document: RequestDocument) -> str:
    path = reverse("admin_services_root:open311_media", args=[document.pk])
    return f"{path}?s={media_signature(document.pk)}"


def photos():
    """Documents that may be shown publicly: images of complaint requests not yet erased."""
    return RequestDocument.objects.filter(
        content_type__in=PHOTO_TYPES,
        request__service__kind=ServiceKind.COMPLAINT,
        request__erased_at__isnull=True,
    ).order_by("uploaded_at", "pk")


def request_json(obj: ServiceRequest, request=None) -> dict:
    """One request in the spec's fields. ``obj`` comes from :func:`complaint_requests` (its
    public notes and photos prefetched)."""
    notes = getattr(obj, "public_notes", None)
    if notes is None:
        notes = list(obj.transitions.filter(public=True).exclude(note="").order_by("created_at"))
    last_note = notes[-1] if notes else None
    pictures = getattr(obj, "photos", None)
    if pictures is None:
        pictures = list(photos().filter(request=obj)[:1])
    media_url = ""
    if pictures:
        path = media_path(pictures[0])
        media_url = request.build_absolute_uri(path) if request is not None else path
    expected = (
        timezone.make_aware(datetime.datetime.combine(obj.due_on, datetime.time(16, 0)))
        if obj.due_on
        else None
    )
    return {
        "service_request_id": obj.number,
        "status": "closed" if obj.state in CLOSED_STATES else "open",
        "status_notes": last_note.note if last_note else obj.get_state_display(),
        "service_name": obj.service.name,
        "service_code": obj.service.code,
        "description": obj.description,
        "agency_responsible": f"Pemerintah Desa {obj.village.name}",
        "service_notice": "",
        "requested_datetime": w3c(obj.submitted_at),
        "updated_datetime": w3c(obj.updated_at),
        "expected_datetime": w3c(expected),
        "address": obj.address,
        "address_id": "",
        "zipcode": "",
        "lat": str(obj.latitude) if obj.latitude is not None else "",
        "long": str(obj.longitude) if obj.longitude is not None else "",
        "media_url": media_url,
    }


class Open311View(View):
    """Base of the endpoints: answers errors in the spec's format; ``self.village`` is the
    jurisdiction (:func:`jurisdiction`)."""

    fmt = "json"
    http_method_names = ["get", "post", "head", "options"]
    needs_jurisdiction = True
    village: Village | None = None

    def dispatch(self, request, *args, **kwargs):
        try:
            if self.needs_jurisdiction:
                self.village = jurisdiction(request)
            return super().dispatch(request, *args, **kwargs)
        except Open311Error as exc:
            return error(self.fmt, exc.status, exc.description)

    def http_method_not_allowed(self, request, *args, **kwargs):
        return error(self.fmt, 405, "metode tidak didukung")

    def complaint_services(self):
        return Service.objects.filter(village=self.village, kind=ServiceKind.COMPLAINT, active=True)

    def complaint_requests(self):
        return (
            ServiceRequest.objects.filter(village=self.village, service__kind=ServiceKind.COMPLAINT)
            .select_related("service", "village")
            .prefetch_related(
                Prefetch(
                    "transitions",
                    queryset=RequestTransition.objects.filter(public=True)
                    .exclude(note="")
                    .order_by("created_at", "pk"),
                    to_attr="public_notes",
                ),
                Prefetch("documents", queryset=photos(), to_attr="photos"),
            )
        )


class DiscoveryView(Open311View):
    http_method_names = ["get", "head"]
    needs_jurisdiction = False

    def get(self, request):
        base = request.build_absolute_uri(reverse("admin_services_root:open311_base"))
        village = getattr(request, "village", None) if request.village_id else None
        contact = (
            f"Pemerintah Desa {village.name}"
            if village is not None
            else "Pemerintah kabupaten; jurisdiction_id = kode wilayah desa"
        )
        data = {
            "changeset": CHANGESET,
            "contact": contact,
            "key_service": "api_key diberikan oleh petugas layanan desa (Admin → Klien Open311)",
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": base.rstrip("/"),
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        }
        return render(self.fmt, "discovery", "", data)


class ServiceListView(Open311View):
    model = Service
    http_method_names = ["get", "head"]

    def get(self, request):
        data = [service_json(s) for s in self.complaint_services()]
        return render(self.fmt, "services", "service", data)


class ServiceDefinitionView(Open311View):
    model = Service
    http_method_names = ["get", "head"]

    def get(self, request, pk):
        service = self.complaint_services().filter(code=pk).first()
        if service is None:
            raise Open311Error(404, "service_code tidak dikenal")
        return render(self.fmt, "service_definition", "", definition_json(service))


class RequestDetailView(Open311View):
    model = ServiceRequest
    http_method_names = ["get", "head"]

    def get(self, request, pk):
        obj = self.complaint_requests().filter(number=pk).first()
        if obj is None:
            raise Open311Error(404, "service_request_id tidak dikenal")
        return render(self.fmt, "service_requests", "request", [request_json(obj, request)])


class TokenView(Open311View):
    """``tokens/<token>``: requests get their number at once, which is also their token."""

    model = ServiceRequest
    http_method_names = ["get", "head"]

    def get(self, request, pk):
        number = (
            ServiceRequest.objects.filter(
                village=self.village, service__kind=ServiceKind.COMPLAINT, number=pk
            )
            .values_list("number", flat=True)
            .first()
        )
        if number is None:
            raise Open311Error(404, "token tidak dikenal")
        data = [{"service_request_id": number, "token": number}]
        return render(self.fmt, "service_requests", "request", data)


class MediaView(View):
    """A complaint's photo, public by design (``media_url``): the re-encoded JPEG/PNG only,
    with a valid signature, of a village where the plugin is on (the host's own village on a
    village host)."""

    model = RequestDocument
    http_method_names = ["get", "head"]

    def get(self, request, pk):
        if not constant_time_compare(request.GET.get("s", ""), media_signature(pk)):
            raise Http404
        document = photos().filter(pk=pk).first()
        if document is None:
            raise Http404
        if request.village_id:
            if document.village_id != request.village_id:
                raise Http404
        elif not is_enabled(document.village_id, PLUGIN_KEY):
            raise Http404
        try:
            handle = document.file.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404 from None
        response = FileResponse(handle, content_type=document.content_type)
        response["Content-Disposition"] = "inline"
        response["Cache-Control"] = "public, max-age=3600"
        response["X-Content-Type-Options"] = "nosniff"
        return response


def parse_date(value: str, name: str) -> datetime.datetime | None:
    if not value:
        return None
    parsed = parse_datetime(value.replace(" ", "+"))
    if parsed is None:
        raise Open311Error(400, f"{name} bukan tanggal W3C yang sah")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


@method_decorator(csrf_exempt, name="dispatch")
class RequestListView(Open311View):
    model = ServiceRequest

    def get(self, request):
        queryset = self.complaint_requests()
        ids = [i.strip() for i in request.GET.get("service_request_id", "").split(",") if i.strip()]
        if ids:
            queryset = queryset.filter(number__in=ids[:MAX_RESULTS])
        else:
            start = parse_date(request.GET.get("start_date", ""), "start_date")
            end = parse_date(request.GET.get("end_date", ""), "end_date")
            if start and end and end - start > MAX_SPAN:
                raise Open311Error(400, "rentang start_date–end_date paling lama 90 hari")
            if start is None:
                start = (end or timezone.now()) - MAX_SPAN
            queryset = queryset.filter(submitted_at__gte=start)
            if end is not None:
                queryset = queryset.filter(submitted_at__lte=end)
            codes = [c for c in request.GET.get("service_code", "").split(",") if c]
            if codes:
                queryset = queryset.filter(service__code__in=codes)
            status = request.GET.get("status", "")
            if status == "open":
                queryset = queryset.exclude(state__in=CLOSED_STATES)
            elif status == "closed":
                queryset = queryset.filter(state__in=CLOSED_STATES)
            elif status:
                raise Open311Error(400, "status harus open atau closed")
        data = [
            request_json(obj, request) for obj in queryset.order_by("-submitted_at")[:MAX_RESULTS]
        ]
        return render(self.fmt, "service_requests", "request", data)

    def post(self, request):
        client = self.client_for(request.POST.get("api_key", ""))
        limit = ratelimit.Limit(f"open311:key:{client.pk}", POST_LIMIT_PER_KEY, 3600)
        if ratelimit.exceeded([limit]):
            raise Open311Error(429, "terlalu banyak permintaan; coba lagi nanti")
        service = self.complaint_services().filter(code=request.POST.get("service_code")).first()
        if service is None:
            raise Open311Error(400, "service_code tidak dikenal")
        lat, lng = self.coordinate("lat", -90, 90), self.coordinate("long", -180, 180)
        address = request.POST.get("address_string", "").strip()[:255]
        if (lat is None or lng is None) and not address:
            raise Open311Error(400, "lokasi wajib: lat dan long, atau address_string")
        answers = self.answers(service)
        description = request.POST.get("description", "").strip()[:4000]
        name = " ".join(
            p for p in (request.POST.get("first_name", ""), request.POST.get("last_name", "")) if p
        ).strip()
        village_id = service.village_id
        obj = ServiceRequest(
            village_id=village_id,
            service=service,
            number=draw_number(village_id),
            name=(name or client.name)[:150],
            phone=request.POST.get("phone", "")[:20],
            email=request.POST.get("email", "")[:254],
            address=address,
            latitude=lat,
            longitude=lng,
            description=description,
            answers=answers,
            channel="daring",
        )
        obj.save()
        record_submission(obj, note=f"Open311: {client.name}")
        ratelimit.count([limit])
        data = [
            {
                "service_request_id": obj.number,
                "token": obj.number,
                "service_notice": "",
                "account_id": "",
            }
        ]
        return render(self.fmt, "service_requests", "request", data, status=201)

    def client_for(self, key: str) -> Open311Client:
        key = key.strip()
        client = (
            Open311Client.objects.filter(
                village=self.village,
                key_index=blind_index(key, KEY_PURPOSE),
                active=True,
            ).first()
            if key
            else None
        )
        if client is None:
            raise Open311Error(403, "api_key tidak sah")
        return client

    def coordinate(self, name, low, high):
        raw = self.request.POST.get(name, "").strip()
        if not raw:
            return None
        try:
            value = Decimal(raw).quantize(Decimal("0.000001"))
        except InvalidOperation:
            raise Open311Error(400, f"{name} bukan angka") from None
        if not low <= value <= high:
            raise Open311Error(400, f"{name} di luar jangkauan")
        return value

    def answers(self, service: Service) -> dict:
        answers = {}
        for item in service.fields or []:
            code = item["code"]
            key = f"attribute[{code}]"
            raw = (
                self.request.POST.getlist(key)
                if item["datatype"] == "multivaluelist"
                else self.request.POST.get(key, "")
            )
            field = field_for(item)
            try:
                value = field.clean(raw)
            except Exception as exc:  # a django ValidationError: the spec's 400
                raise Open311Error(400, f"attribute[{code}] tidak sah") from exc
            if value not in (None, "", []):
                answers[code] = [str(v) for v in value] if isinstance(value, list) else str(value)
        return answers
