from odoo import models


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        """Printing a case document is a read of the case file (调阅记录)."""
        report = self._get_report(report_ref)
        if report.model == "enforcement.case" and res_ids:
            cases = self.env["enforcement.case"].browse(res_ids)
            # The log keeps the document's name as text: in the agency's
            # language, like the case history, whatever the printing client's.
            name = report.with_context(lang=cases[:1]._agency_lang()).name
            self.env["enforcement.access.log"]._log(cases, "document_print", detail=name)
        return super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
