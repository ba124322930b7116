"""Open311 GeoReport v2 on each village host, under ``/admin_services/open311/v2/``.

The jurisdiction is implied by the host (a ``jurisdiction_id`` parameter, if given, must be the
village's area code). Only complaint services (pengaduan) are offered and listed; letter
requests never appear in any response. No personal data is ever returned: no name, NIK, phone
or e-mail; ``service_request_id`` is the short request number.

Endpoints (``.json`` or ``.xml``):

* ``GET services``: the village's active complaint services;
* ``GET services/<code>``: a service definition with its attributes (typed fields);
* ``GET requests``: filters ``service_request_id`` (comma list), ``service_code``,
  ``start_date``/``end_date`` (W3C datetime, at most 90 days apart; default the last 90 days),
  ``status`` (open/closed); at most 1000 results, newest first;
* ``POST requests``: ``api_key`` of a client registered in the admin (:class:`Open311Client`),
  ``service_code``, ``lat``/``long`` or ``address_string``, ``description``,
  ``attribute[<code>]``, optional ``first_name``, ``last_name``, ``email``, ``phone`` (stored
  encrypted, never shown); answers the new ``service_request_id`` at once (no tokens);
* ``GET requests/<id>``: one request.

Errors follow the spec: a list of ``{code, description}`` (JSON) or ``<errors><error>`` (XML).
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from xml.etree import ElementTree as ET

from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from core.villages.crypto import blind_index
from core.website import ratelimit

from .forms import field_for
from .models import (
    CLOSED_STATES,
    Open311Client,
    Service,
    ServiceKind,
    ServiceRequest,
)
from .services import draw_number
from .workflow import record_submission

MAX_RESULTS = 1000
MAX_SPAN = datetime.timedelta(days=90)
KEY_PURPOSE = "admin_services.open311"
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
        for item in value:
            _xml_dict(child, name[:-1] if name.endswith("s") else "item", item)
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
    if isinstance(data, list):
        top = ET.Element(root)
        for entry in data:
            _xml_dict(top, item, entry)
    else:
        top = ET.Element(root)
        for key, value in data.items():
            _xml_value(top, key, value)
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(top, encoding="utf-8")
    return HttpResponse(body, content_type="text/xml; charset=utf-8", status=status)


def error(fmt: str, status: int, description: str) -> HttpResponse:
    return render(fmt, "errors", "error", [{"code": status, "description": description}], status)


def complaint_services(request):
    return Service.objects.filter(
        village_id=request.village_id, kind=ServiceKind.COMPLAINT, active=True
    )


def check_jurisdiction(request) -> None:
    wanted = request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id")
    if wanted and wanted != request.village.code:
        raise Open311Error(404, "jurisdiction_id tidak dilayani di alamat ini")


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


def request_json(obj: ServiceRequest) -> dict:
    last_note = obj.transitions.filter(public=True).exclude(note="").order_by("-created_at").first()
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
        "media_url": "",
    }


def complaint_requests(request):
    return ServiceRequest.objects.filter(
        village_id=request.village_id, service__kind=ServiceKind.COMPLAINT
    ).select_related("service", "village")


class Open311View(View):
    fmt = "json"
    http_method_names = ["get", "post", "head", "options"]

    def dispatch(self, request, *args, **kwargs):
        try:
            check_jurisdiction(request)
            return super().dispatch(request, *args, **kwargs)
        except Open311Error as exc:
            return error(self.fmt, exc.status, exc.description)

    def http_method_not_allowed(self, request, *args, **kwargs):
        return error(self.fmt, 405, "metode tidak didukung")


class ServiceListView(Open311View):
    model = Service
    http_method_names = ["get", "head"]

    def get(self, request):
        data = [service_json(s) for s in complaint_services(request)]
        return render(self.fmt, "services", "service", data)


class ServiceDefinitionView(Open311View):
    model = Service
    http_method_names = ["get", "head"]

    def get(self, request, pk):
        service = complaint_services(request).filter(code=pk).first()
        if service is None:
            raise Open311Error(404, "service_code tidak dikenal")
        return render(self.fmt, "service_definition", "", definition_json(service))


class RequestDetailView(Open311View):
    model = ServiceRequest
    http_method_names = ["get", "head"]

    def get(self, request, pk):
        obj = complaint_requests(request).filter(number=pk).first()
        if obj is None:
            raise Open311Error(404, "service_request_id tidak dikenal")
        return render(self.fmt, "service_requests", "request", [request_json(obj)])


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
        queryset = complaint_requests(request)
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
        data = [request_json(obj) for obj in queryset.order_by("-submitted_at")[:MAX_RESULTS]]
        return render(self.fmt, "service_requests", "request", data)

    def post(self, request):
        client = self.client_for(request.POST.get("api_key", ""))
        limit = ratelimit.Limit(f"open311:key:{client.pk}", POST_LIMIT_PER_KEY, 3600)
        if ratelimit.exceeded([limit]):
            raise Open311Error(429, "terlalu banyak permintaan; coba lagi nanti")
        service = complaint_services(request).filter(code=request.POST.get("service_code")).first()
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
        obj = ServiceRequest(
            village_id=request.village_id,
            service=service,
            number=draw_number(request.village_id),
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
        data = [{"service_request_id": obj.number, "service_notice": "", "account_id": ""}]
        return render(self.fmt, "service_requests", "request", data, status=201)

    def client_for(self, key: str) -> Open311Client:
        key = key.strip()
        client = (
            Open311Client.objects.filter(
                village_id=self.request.village_id,
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
