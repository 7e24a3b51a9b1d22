"""What an agency sets for the dated duties after a decision: the amounts from
which a fine is 较大数额 for the 备案 of major decisions (by default the hearing
thresholds, as item 三十 refers to the hearing rules), the filing period, the
number patterns of the filing and of the crime-transfer document, and the
period of the 败诉 report."""
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..enforcement_core.duties import DEFAULT_FILING_DAYS, DEFAULT_LOST_REPORT_DAYS
from ..enforcement_core.hearing import HearingThresholds
from ..enforcement_core.numbering import NumberPatternError
from .enforcement_agency import NUMBER_PATTERN_FIELDS

DEFAULT_FILING_NUMBER_PATTERN = "{short}市监处罚备〔{year}〕{seq}号"
DEFAULT_TRANSFER_NUMBER_PATTERN = "{short}市监移〔{year}〕{seq}号"
NUMBER_PATTERN_FIELDS.update({"filing": "filing_number_pattern", "transfer": "transfer_number_pattern"})


class EnforcementAgencyDuties(models.Model):
    _inherit = "enforcement.agency"

    major_fine_person = fields.Float(
        string="Large Fine for a Person (yuan)", digits=(16, 2), default=float(HearingThresholds().fine_person),
        help="From this fine a decision against a natural person is major and is filed (备案).")
    major_fine_organisation = fields.Float(
        string="Large Fine for an Organisation (yuan)", digits=(16, 2),
        default=float(HearingThresholds().fine_organisation),
        help="From this fine a decision against an organisation is major and is filed (备案).")
    major_filing_days = fields.Integer(
        string="File Major Decisions Within (days)", default=DEFAULT_FILING_DAYS,
        help="Calendar days from the decision to file a major penalty decision with the government's office.")
    lost_report_days = fields.Integer(
        string="Report Lost Lawsuits Within (days)", default=DEFAULT_LOST_REPORT_DAYS,
        help="Days from the judgment taking effect to report a lost lawsuit.")
    filing_number_pattern = fields.Char(
        required=True, default=DEFAULT_FILING_NUMBER_PATTERN,
        help="Pattern of filing numbers of major decisions. Placeholders as for case numbers.")
    transfer_number_pattern = fields.Char(
        required=True, default=DEFAULT_TRANSFER_NUMBER_PATTERN,
        help="Pattern of the numbers of crime-transfer documents. Placeholders as for case numbers.")

    _sql_constraints = [
        ("duty_periods_positive", "CHECK(major_filing_days > 0 AND lost_report_days > 0)",
         "The filing and report periods must be at least one day."),
        ("major_fines_positive", "CHECK(major_fine_person > 0 AND major_fine_organisation > 0)",
         "The large-fine amounts must be positive."),
    ]

    @api.constrains("filing_number_pattern", "transfer_number_pattern", "short_name")
    def _check_duty_number_patterns(self):
        for agency in self:
            for kind in ("filing", "transfer"):
                try:
                    agency._format_number(kind, 2000, 1, category="penalty")
                except NumberPatternError as err:
                    field = NUMBER_PATTERN_FIELDS[kind]
                    raise ValidationError(self.env._(
                        "The number pattern %(pattern)s (%(field)s) is not valid: %(reason)s",
                        pattern=agency[field], field=self._fields[field]._description_string(self.env),
                        reason=str(err))) from err
