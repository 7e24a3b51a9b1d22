from odoo import api, models

DISCRETION_CODES = frozenset({
    "penalty_type_not_allowed", "fine_not_allowed", "fine_base_missing", "fine_required", "fine_above_tier",
    "fine_below_tier",
})
HEARING_CODES = frozenset({"hearing_fine_threshold", "hearing_confiscation_threshold", "hearing_penalty_type"})


def _money(amount):
    # formatted outside _(): Odoo's term export skips a file with f-strings in _() arguments
    return f"{amount:.2f}"


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
        if code == "missing_variable":
            return self.env._("The process holds no value %(name)s that this step needs; set it (or correct the "
                              "process), then retry.", name=params["name"])
        if code == "step_refused":
            return self.env._("The step was refused: %(detail)s", detail=params["detail"])
        if code == "step_failed":
            return self.env._("The step failed (%(kind)s): %(detail)s", kind=params["kind"], detail=params["detail"])
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
        if code == "training_short":
            return self.env._("%(hours)s training hours this year, %(required)s required",
                              hours=params["hours"], required=params["required"])
        if code == "faults_recorded":
            return self.env._("%(faults)s enforcement fault(s) recorded this year", faults=params["faults"])
        if code in DISCRETION_CODES:
            return self._discretion_text(code, params)
        if code in HEARING_CODES:
            return self._hearing_text(code, params)
        return str(reason)

    # ----- enforcement_core.discretion -----

    def _discretion_text(self, code, params):
        tier = self._tier_name(params.get("tier"))
        if code == "penalty_type_not_allowed":
            return self.env._("the %(tier)s tier does not allow the penalty %(penalty)s",
                              tier=tier, penalty=self._penalty_name(params["penalty_type"]))
        if code == "fine_not_allowed":
            return self.env._("a fine of %(fine)s yuan is proposed, but the %(tier)s tier allows no fine",
                              fine=_money(params["fine"]), tier=tier)
        if code == "fine_base_missing":
            base = {"illegal_gains": self.env._("the illegal gains"),
                    "goods_value": self.env._("the value of the goods")}.get(params["base"], params["base"])
            return self.env._("the %(tier)s tier sets the fine as a multiple of %(base)s, which is not entered",
                              tier=tier, base=base)
        if code == "fine_required":
            return self.env._("the %(tier)s tier requires a fine, and none is proposed", tier=tier)
        if code == "fine_above_tier":
            return self.env._("the fine of %(fine)s yuan is above the %(tier)s tier's maximum of %(maximum)s yuan",
                              fine=_money(params["fine"]), tier=tier, maximum=_money(params["maximum"]))
        return self.env._("the fine of %(fine)s yuan is below the %(tier)s tier's minimum of %(minimum)s yuan",
                          fine=_money(params["fine"]), tier=tier, minimum=_money(params["minimum"]))

    # ----- enforcement_core.hearing -----

    def _hearing_text(self, code, params):
        if code == "hearing_penalty_type":
            return self.env._("the penalty %(penalty)s always gives the right to a hearing",
                              penalty=self._penalty_name(params["penalty_type"]))
        party = self._party_type_name(params["party_type"])
        if code == "hearing_fine_threshold":
            return self.env._("the fine of %(fine)s yuan reaches the %(threshold)s yuan set for a %(party)s",
                              fine=_money(params["fine"]), threshold=_money(params["threshold"]), party=party)
        return self.env._("the confiscation of %(amount)s yuan reaches the %(threshold)s yuan set for a %(party)s",
                          amount=_money(params["amount"]), threshold=_money(params["threshold"]), party=party)

    def _tier_name(self, code):
        labels = dict(self.env["enforcement.discretion.tier"]._fields["code"]._description_selection(self.env))
        return labels.get(code, code or "")

    def _penalty_name(self, code):
        penalty = self.env["enforcement.penalty.type"].sudo().with_context(active_test=False).search(
            [("code", "=", code)], limit=1)
        return penalty.with_env(self.env).name if penalty else code

    def _party_type_name(self, code):
        labels = dict(self.env["enforcement.case"]._fields["party_type"]._description_selection(self.env))
        return labels.get(code, code)

    @api.model
    def _texts(self, reasons, separator="；"):
        return separator.join(self._text(reason) for reason in reasons)

    def _category_name(self, code):
        category = self.env["enforcement.category"].sudo().search([("code", "=", code)], limit=1)
        return category.with_env(self.env).name if category else code

    def _area_name(self, code):
        area = self.env["enforcement.area"].sudo().search([("code", "=", code)], limit=1)
        return area.name if area else code
