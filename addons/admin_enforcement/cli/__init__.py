from . import worker
