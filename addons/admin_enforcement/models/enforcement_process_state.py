from odoo import api, models
from odoo.exceptions import AccessError


class EnforcementProcessState(models.AbstractModel):
    """Fields that hold a record's process state (its state, deadlines,
    numbers, outcomes), which only the server's own steps write, after their
    checks. A model inherits this mixin and names them in class attributes:

    - ``_process_fields``: what no caller writes, on create or write;
    - ``_process_fields_on_create``: of those, what a caller may give a new record.

    An RPC caller can send any value or context key, but gets no superuser
    environment: a step writes through ``_as_step()`` once its checks passed."""

    _name = "enforcement.process.state"
    _description = "Process State Set by the Procedure's Steps"

    _process_fields = frozenset()
    _process_fields_on_create = frozenset()

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self._refuse_process_fields(set(vals) - self._process_fields_on_create)
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._refuse_process_fields(set(vals))
        return super().write(vals)

    @api.model
    def _refuse_process_fields(self, names, protected_fields=None):
        """Refuse ``names`` that are process fields (or ``protected_fields``), naming them."""
        protected = sorted((self._process_fields if protected_fields is None else protected_fields) & set(names))
        if protected:
            labels = ", ".join(self._fields[name]._description_string(self.env) for name in protected)
            raise AccessError(self.env._(
                "%(fields)s can only be set by the step of the procedure that owns them, not edited directly.",
                fields=labels))

    def _as_step(self):
        """The records as their step writes them (the superuser environment):
        call it only after the step's checks."""
        return self.sudo()
