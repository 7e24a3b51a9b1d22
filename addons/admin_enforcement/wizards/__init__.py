
from . import enforcement_certificate_state_wizard
from . import enforcement_payment_confirm_wizard
from . import enforcement_holiday_notice_wizard
from . import enforcement_record_add
