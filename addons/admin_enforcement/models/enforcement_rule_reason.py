from odoo import api, models


class EnforcementRuleReason(models.AbstractModel):
    """The domain core's reasons (``enforcement_core.reasons.Reason``) in the
    reader's language: each code has its template here, filled from the
    reason's params, so no sentence assembled in English reaches a user."""

    _name = "enforcement.rule.reason"
    _description = "Rule Reasons in the Reader's Language"

    @api.model
    def _text(self, reason):
        code = getattr(reason, "code", None)
        params = dict(getattr(reason, "params", {}))
        if code == "no_certificate":
            return self.env._("holds no enforcement certificate")
        if code == "certificate_not_valid":
            state = dict(self.env["enforcement.certificate"]._fields["state"]._description_selection(self.env))
            return self.env._("certificate %(number)s is %(state)s", number=params["number"],
                     state=state.get(params["state"], params["state"]))
        if code == "certificate_not_yet_valid":
            return self.env._("certificate %(number)s is valid only from %(day)s", number=params["number"],
                     day=params["valid_from"])
        if code == "certificate_expired":
            return self.env._("certificate %(number)s expired on %(day)s", number=params["number"], day=params["valid_to"])
        if code == "category_not_covered":
            return self.env._("certificate %(number)s does not cover the enforcement category %(category)s",
                     number=params["number"], category=self._category_name(params["category"]))
        if code == "area_not_covered":
            return self.env._("certificate %(number)s does not cover the area %(area)s",
                     number=params["number"], area=self._area_name(params["area"]))
        if code == "conflict_of_interest":
            return self.env._("has a conflict of interest and must recuse")
        if code == "officer_refused":
            return self.env._("%(officer)s: %(reason)s", officer=params["officer"], reason=self._text(params["reason"]))
        if code == "team_too_small":
            return self.env._("%(eligible)s eligible officer(s) on the case team, at least %(minimum)s required",
                     eligible=params["eligible"], minimum=params["minimum"])
        return str(reason)

    @api.model
    def _texts(self, reasons, separator="；"):
        return separator.join(self._text(reason) for reason in reasons)

    def _category_name(self, code):
        category = self.env["enforcement.category"].sudo().search([("code", "=", code)], limit=1)
        return category.with_env(self.env).name if category else code

    def _area_name(self, code):
        area = self.env["enforcement.area"].sudo().search([("code", "=", code)], limit=1)
        return area.name if area else code
