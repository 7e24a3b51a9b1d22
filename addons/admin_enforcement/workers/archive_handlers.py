"""External tasks of the `archive` area (归档): enforcement.archive.<action>."""
from .runtime import load_case, record_step, topic


@topic("enforcement.archive.seal")
def seal(env, task):
    case = load_case(env, task.variables["case_id"], task)
    record_step(env, case, task, "archive_seal", case._seal_archive())
