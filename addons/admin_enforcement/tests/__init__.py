from . import test_master_data_constraints
from . import test_master_data_lifecycle
from . import test_master_data_security
from . import test_master_data_import
from . import test_master_data_i18n
