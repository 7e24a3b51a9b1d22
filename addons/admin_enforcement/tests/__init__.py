from . import test_master_data_constraints
from . import test_master_data_lifecycle
from . import test_master_data_security
from . import test_master_data_import
from . import test_master_data_i18n
from . import test_case_gates
from . import test_gates_rpc
from . import test_review_office
from . import test_record_full_process
from . import test_record_chain
from . import test_record_upload
from . import test_portal_publication
from . import test_portal_pages
from . import test_portal_search
from . import test_i18n_complete
from . import test_web_client_rpc
from . import test_payment_wizard
from . import test_holiday_notice_wizard
from . import test_staff_home
from . import test_clerk_chinese
from . import test_case_flowchart
from . import test_inspection_party
from . import test_inspection_party_import
from . import test_inspector_register
from . import test_inspection_gates
# inspections in the full-process record and the draw in its plan's chain
from . import test_inspection_record_chain
from . import test_simple_procedure
from . import test_statistics_report
# Dated duties after a decision and 行刑衔接
from . import test_penalty_duties
# supervision desk
from . import test_supervision_desk
from . import test_seizure_gates
