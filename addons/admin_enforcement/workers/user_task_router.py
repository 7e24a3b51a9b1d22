# pyzeebe finds the Job parameter by its annotation object, so annotations
# here must stay evaluated (no `from __future__ import annotations`).
"""Job-based user tasks become Odoo tasks. The job stays activated in Zeebe
until the task is completed in Odoo (through the outbox)."""

from pyzeebe import Job, JobController, ZeebeTaskRouter

from ..services import user_tasks
from .runtime import OdooJobRunner, WorkerSettings, fail_or_throw

class TaskHandedToOdoo(Exception):
    """Raised to leave a user-task job open in Zeebe: pyzeebe completes a job
    whose handler returns, and this job is completed later by a person."""


async def _leave_job_open(exception: Exception, job: Job, job_controller: JobController) -> None:
    if isinstance(exception, TaskHandedToOdoo):
        return
    await fail_or_throw(exception, job, job_controller)


def build_router(runner: OdooJobRunner, settings: WorkerSettings) -> ZeebeTaskRouter:
    router = ZeebeTaskRouter(exception_handler=_leave_job_open)

    @router.task(user_tasks.USER_TASK_JOB_TYPE, variables_to_fetch=[],
                 **settings.task_options(settings.user_task_timeout_ms))
    def open_user_task(job: Job) -> dict:
        opened = user_tasks.from_job(job)
        runner.run_plain(lambda env: env["enforcement.task"]._open_from_job(opened))
        raise TaskHandedToOdoo(job.key)

    return router
