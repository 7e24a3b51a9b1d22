from . import worker
from . import verify_chain
