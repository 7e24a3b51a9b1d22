
from . import enforcement_certificate_state_wizard
