"""The public enforcement publicity portal (行政执法公示), no login.

Everything here runs as the public user. Data is read as superuser only
through the models' public helpers (``_public_read``, ``_public_values``,
``_public_withdrawn_notice``, list snapshots, certificate verification),
each limited to what is published; search parameters go into ORM domains
as values, never into SQL text. Pages are rendered in Chinese.
"""
import csv
import io
import json
import math
from urllib.parse import urlencode

from odoo import fields, http
from odoo.http import request

from ..enforcement_core.china_clock import china_today
from ..models.enforcement_publication import COUNT_CAP
from ..models.enforcement_publication_list import LIST_KINDS
from ..models.enforcement_publication_policy import PUBLICATION_CATEGORIES

PAGE_SIZE = 20
#: Exports are paged too, so one request never reads the whole table.
EXPORT_LIMIT = 5000
MAX_PARAM_LENGTH = 100
SECURITY_HEADERS = [
    ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
                                "form-action 'self'; frame-ancestors *"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
]
EXPORT_COLUMNS = [
    ("decision_number", "Decision Number"), ("agency_name", "Enforcement Body"),
    ("category_label", "Category"), ("public_party", "Party"), ("public_title", "Case"),
    ("public_conclusion", "Result"), ("decided_on", "Decided On"), ("published_on", "Published On"),
    ("period_end", "Public Until"),
]


def _clean(value):
    """A search parameter as plain text: bounded length, no NUL (PostgreSQL refuses it)."""
    if not isinstance(value, str):
        return ""
    return value.replace("\x00", "").strip()[:MAX_PARAM_LENGTH]


def _date(value):
    try:
        return fields.Date.to_date(_clean(value)) if _clean(value) else None
    except ValueError:
        return None


def _csv_cell(value):
    """Spreadsheet programs run cells starting with = + - @ as formulas: quote them."""
    text = "" if value in (None, False) else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class EnforcementPortal(http.Controller):

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _use_portal_language(self):
        request.update_context(lang=request.env["enforcement.publication.list.version"]._portal_lang())

    def _render(self, template, values, status=200):
        self._use_portal_language()
        agencies = request.env["enforcement.agency"].sudo().search_read([], ["id", "name"], order="name")
        response = request.render(template, {
            "portal_agencies": agencies, "categories": self._categories(),
            "site_title": request.env._("Enforcement Publicity Portal"), **values,
        }, headers=SECURITY_HEADERS)
        response.status_code = status
        return response

    def _categories(self):
        model = request.env["enforcement.publication"]
        labels = dict(model._fields["decision_category"]._description_selection(model.env))
        return [(key, labels[key]) for key, _label in PUBLICATION_CATEGORIES]

    def _agency(self, agency_id):
        """Agencies are public (事前公开: the enforcement body); only their published fields are shown."""
        return request.env["enforcement.agency"].sudo().search([("id", "=", agency_id)], limit=1)

    def _not_found(self):
        return self._render("admin_enforcement.portal_not_found", {"page_title": "404"}, status=404)

    # ------------------------------------------------------------------
    # before (事前公开)
    # ------------------------------------------------------------------
    @http.route("/enforcement/public", type="http", auth="public", methods=["GET"], readonly=True)
    def index(self, **kwargs):
        return self._render("admin_enforcement.portal_index", {"page_title": ""})

    @http.route("/enforcement/public/agency/<int:agency_id>", type="http", auth="public", methods=["GET"],
                readonly=True)
    def agency(self, agency_id, **kwargs):
        agency = self._agency(agency_id)
        if not agency:
            return self._not_found()
        self._use_portal_language()
        versions = request.env["enforcement.publication.list.version"].sudo().search([
            ("agency_id", "=", agency.id), ("effective_to", "=", False),
        ])
        kinds = self._list_kinds()
        return self._render("admin_enforcement.portal_agency", {
            "page_title": agency.name, "agency": agency,
            "lists": [(kind, label, versions.filtered(lambda v, k=kind: v.list_kind == k)[:1])
                      for kind, label in kinds],
        })

    def _list_kinds(self):
        model = request.env["enforcement.publication.list.version"]
        labels = dict(model._fields["list_kind"]._description_selection(model.env))
        return [(kind, labels[kind]) for kind, _label in LIST_KINDS]

    @http.route("/enforcement/public/agency/<int:agency_id>/list/<string:kind>", type="http", auth="public",
                methods=["GET"], readonly=True)
    def published_list(self, agency_id, kind, version=None, **kwargs):
        agency = self._agency(agency_id)
        if not agency or kind not in dict(LIST_KINDS):
            return self._not_found()
        self._use_portal_language()
        versions = request.env["enforcement.publication.list.version"].sudo().search([
            ("agency_id", "=", agency.id), ("list_kind", "=", kind),
        ], order="version desc")
        wanted = int(version) if (version or "").isdigit() else None
        shown = versions.filtered(lambda v: v.version == wanted)[:1] if wanted else \
            versions.filtered(lambda v: not v.effective_to)[:1]
        if wanted and not shown:
            return self._not_found()
        return self._render("admin_enforcement.portal_list", {
            "page_title": dict(self._list_kinds())[kind], "agency": agency, "kind": kind,
            "shown": shown, "versions": versions,
            "content": shown.content or {"columns": [], "rows": []},
        })

    @http.route("/enforcement/public/flowcharts", type="http", auth="public", methods=["GET"], readonly=True)
    def flowcharts(self, **kwargs):
        definitions = request.env["enforcement.process.definition"].sudo()
        latest = definitions.browse(list(definitions._latest_by_process().values()))
        return self._render("admin_enforcement.portal_flowcharts", {
            "page_title": "", "definitions": latest.sorted("name"),
        })

    @http.route("/enforcement/public/flowchart/<string:process_id>", type="http", auth="public",
                methods=["GET"], readonly=True)
    def flowchart(self, process_id, **kwargs):
        definitions = request.env["enforcement.process.definition"].sudo()
        definition = definitions.search([("bpmn_process_id", "=", _clean(process_id))], limit=1)
        if not definition:
            return self._not_found()
        return self._render("admin_enforcement.portal_flowchart", {
            "page_title": definition.name, "definition": definition,
            "chart": definition._chart_values("fc"),
        })

    # ------------------------------------------------------------------
    # full-process record anchors: public the moment they are signed
    # ------------------------------------------------------------------
    @http.route("/enforcement/public/anchors", type="http", auth="public", methods=["GET"], readonly=True)
    def anchors(self, page="1", **kwargs):
        Anchor = request.env["enforcement.chain.anchor"]
        total = Anchor.sudo().search_count([])
        pages = max(1, math.ceil(total / PAGE_SIZE))
        page = min(max(int(page) if str(page).isdigit() else 1, 1), pages)
        return self._render("admin_enforcement.portal_anchors", {
            "page_title": "", "page": page, "pages": pages,
            "anchors": Anchor._public_export(limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)["anchors"],
        })

    @http.route("/enforcement/public/anchors.json", type="http", auth="public", methods=["GET"], readonly=True)
    def anchors_json(self, **kwargs):
        """Every anchor with the bureau's public keys; what verify-chain and
        verify_archive.py take as --published."""
        offset = _clean(kwargs.get("offset"))
        body = request.env["enforcement.chain.anchor"]._public_export(
            limit=EXPORT_LIMIT, offset=int(offset) if offset.isdigit() else 0)
        return request.make_response(json.dumps(dict(body, limit=EXPORT_LIMIT), ensure_ascii=False), headers=[
            ("Content-Type", "application/json; charset=utf-8"), *SECURITY_HEADERS,
        ])

    @http.route("/enforcement/public/keys.pem", type="http", auth="public", methods=["GET"], readonly=True)
    def public_keys(self, **kwargs):
        """The bureau's key ring: every public key it has signed with, retired ones included."""
        return request.make_response(request.env["enforcement.chain.anchor"]._public_key_ring_pem(), headers=[
            ("Content-Type", "application/x-pem-file"), *SECURITY_HEADERS,
        ])

    # ------------------------------------------------------------------
    # during (事中公示): certificate check
    # ------------------------------------------------------------------
    def _certificate_page(self, data, number=""):
        if data:
            today = china_today()
            data = dict(data, valid_now=data["state"] == "valid"
                        and data["valid_from"] <= today <= data["valid_to"])
            model = request.env["enforcement.certificate"]
            data["state_label"] = dict(model._fields["state"]._description_selection(request.env))[data["state"]]
        response = self._render("admin_enforcement.portal_certificate", {
            "page_title": "", "number": number, "certificate": data, "searched": bool(number),
        }, status=200 if data or not number else 404)
        response.headers["Cache-Control"] = "no-store"
        return response

    @http.route("/enforcement/certificate", type="http", auth="public", methods=["GET"], readonly=True)
    def certificate_search(self, number=None, **kwargs):
        self._use_portal_language()
        number = _clean(number)
        data = request.env["enforcement.certificate"]._public_verification_data(number=number) if number else None
        return self._certificate_page(data, number)

    @http.route("/enforcement/certificate/<string:number>", type="http", auth="public", methods=["GET"],
                readonly=True)
    def certificate(self, number, **kwargs):
        self._use_portal_language()
        number = _clean(number)
        return self._certificate_page(
            request.env["enforcement.certificate"]._public_verification_data(number=number), number)

    @http.route("/enforcement/certificate/qr/<string:token>", type="http", auth="public", methods=["GET"],
                readonly=True)
    def certificate_qr(self, token, **kwargs):
        self._use_portal_language()
        data = request.env["enforcement.certificate"]._public_verification_data(token=_clean(token))
        return self._certificate_page(data, data["number"] if data else _clean(token))

    # ------------------------------------------------------------------
    # after (事后公开): decisions
    # ------------------------------------------------------------------
    def _search_params(self, kwargs):
        agency = _clean(kwargs.get("agency"))
        return {
            "party": _clean(kwargs.get("party")),
            "category": _clean(kwargs.get("category")),
            "date_from": _date(kwargs.get("date_from")),
            "date_to": _date(kwargs.get("date_to")),
            "number": _clean(kwargs.get("number")),
            "keyword": _clean(kwargs.get("keyword")),
            "agency_id": int(agency) if agency.isdigit() else None,
        }

    @http.route("/enforcement/public/decisions", type="http", auth="public", methods=["GET"], readonly=True)
    def decisions(self, page="1", **kwargs):
        self._use_portal_language()
        params = self._search_params(kwargs)
        publications = request.env["enforcement.publication"]
        domain = publications._public_search_domain(**params)
        # Counting stops after COUNT_CAP matches: an exact count of every public
        # decision on each page would cost more than the page. The pager then
        # ends at COUNT_CAP, which also bounds the OFFSET of the deepest page.
        total = publications._public_count(domain)
        capped = total > COUNT_CAP
        total = min(total, COUNT_CAP)
        pages = max(1, math.ceil(total / PAGE_SIZE))
        page = min(max(int(page) if str(page).isdigit() else 1, 1), pages)
        rows = publications._public_read(domain, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        query = {key: _clean(kwargs[key]) for key in ("party", "keyword", "category", "date_from", "date_to", "number",
                                                      "agency")
                 if isinstance(kwargs.get(key), str)}
        return self._render("admin_enforcement.portal_decisions", {
            "page_title": "", "rows": rows, "total": total, "page": page, "pages": pages,
            "capped": capped and request.env._(
                "More than %(count)s decisions match; the first %(count)s are listed. Narrow the search (or "
                "use the export) to see the others.", count=COUNT_CAP),
            "params": query,
            "page_url": lambda p: "/enforcement/public/decisions?" + _urlencode({**query, "page": p}),
            "export_url": lambda fmt: f"/enforcement/public/decisions/export.{fmt}?" + _urlencode(query),
        })

    @http.route("/enforcement/public/decisions/<int:publication_id>", type="http", auth="public",
                methods=["GET"], readonly=True)
    def decision(self, publication_id, **kwargs):
        self._use_portal_language()
        publications = request.env["enforcement.publication"]
        rows = publications._public_read([("id", "=", publication_id)], limit=1)
        if rows:
            return self._render("admin_enforcement.portal_decision", {
                "page_title": rows[0]["decision_number"], "row": rows[0],
            })
        notice = publications._public_withdrawn_notice(publication_id)
        if notice:
            return self._render("admin_enforcement.portal_decision_withdrawn", {
                "page_title": notice["decision_number"], "notice": notice,
            }, status=410)
        return self._not_found()

    def _export_rows(self, kwargs):
        self._use_portal_language()
        publications = request.env["enforcement.publication"]
        offset = _clean(kwargs.get("offset"))
        return publications._public_read(
            publications._public_search_domain(**self._search_params(kwargs)),
            limit=EXPORT_LIMIT, offset=int(offset) if offset.isdigit() else 0,
        )

    @http.route("/enforcement/public/decisions/export.json", type="http", auth="public", methods=["GET"],
                readonly=True)
    def export_json(self, **kwargs):
        rows = [{key: row[key] for key, _label in EXPORT_COLUMNS} for row in self._export_rows(kwargs)]
        body = json.dumps({"count": len(rows), "limit": EXPORT_LIMIT, "decisions": rows},
                          ensure_ascii=False, default=str)
        return request.make_response(body, headers=[
            ("Content-Type", "application/json; charset=utf-8"), *SECURITY_HEADERS,
        ])

    @http.route("/enforcement/public/decisions/export.csv", type="http", auth="public", methods=["GET"],
                readonly=True)
    def export_csv(self, **kwargs):
        rows = self._export_rows(kwargs)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([request.env._(label) for _key, label in EXPORT_COLUMNS])
        for row in rows:
            writer.writerow([_csv_cell(row[key]) for key, _label in EXPORT_COLUMNS])
        return request.make_response("\ufeff" + buffer.getvalue(), headers=[
            ("Content-Type", "text/csv; charset=utf-8"),
            ("Content-Disposition", 'attachment; filename="decisions.csv"'), *SECURITY_HEADERS,
        ])

    # ------------------------------------------------------------------
    # annual enforcement statistics (118号: published by 31 January)
    # ------------------------------------------------------------------
    @http.route("/enforcement/public/statistics", type="http", auth="public", methods=["GET"], readonly=True)
    def statistics(self, **kwargs):
        self._use_portal_language()
        reports = request.env["enforcement.statistics.report"]._public_reports()
        return self._render("admin_enforcement.portal_statistics", {
            "page_title": request.env._("Annual Enforcement Statistics"), "reports": reports,
        })

    @http.route("/enforcement/public/statistics/<int:report_id>", type="http", auth="public", methods=["GET"],
                readonly=True)
    def statistics_report(self, report_id, **kwargs):
        self._use_portal_language()
        report = request.env["enforcement.statistics.report"]._public_report(report_id)
        if not report:
            return self._not_found()
        return self._render("admin_enforcement.portal_statistics_report", {
            "page_title": report.name, "report": report, "values": report._output_values(),
        })


def _urlencode(params):
    return urlencode({key: value for key, value in params.items() if value not in (None, "")})
