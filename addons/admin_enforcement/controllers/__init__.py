
from . import certificate_verification
from . import record_files
from . import portal
from . import inspection_portal
from . import statistics
