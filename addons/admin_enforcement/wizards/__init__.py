
from . import enforcement_certificate_state_wizard
from . import enforcement_payment_confirm_wizard
from . import enforcement_holiday_notice_wizard
from . import enforcement_record_add
# supervision desk (案卷评查)
from . import enforcement_file_review_draw
