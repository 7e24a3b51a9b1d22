"""Downloads of the statistics report for staff: the xlsx workbook (the PDF
is a QWeb report). Read access is the user's own: record rules decide."""
from urllib.parse import quote

from odoo import http
from odoo.http import request


class EnforcementStatistics(http.Controller):

    @http.route("/enforcement/statistics/<int:report_id>/xlsx", type="http", auth="user", methods=["GET"],
                readonly=True)
    def report_xlsx(self, report_id, **kwargs):
        report = request.env["enforcement.statistics.report"].browse(report_id).exists()
        if not report:
            return request.not_found()
        report.check_access("read")
        content, filename = report._xlsx_content()
        return request.make_response(content, headers=[
            ("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ("Content-Disposition", f"attachment; filename*=UTF-8''{quote(filename)}"),
            ("Content-Length", str(len(content))),
        ])
