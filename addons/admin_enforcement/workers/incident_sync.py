"""The engine's incidents on Odoo's Process Incidents screen. Every
`incident_sync_interval_s` the worker lists the engine's open incidents
(one GET /incident a page, nothing more when nothing changed), imports the
ones Odoo does not know with their case (the business key is the case
reference), step (activity id and its BPMN name) and the activity instance
a restart would cancel, and marks resolved the ones the engine no longer
lists.

A loop of its own rather than part of the task list's reconcile
(`user_task_sync`): the task list polls every 250 ms for new tasks, and an
import that looks up the activity tree of each new incident must not delay
them; incidents are their own area, with their own interval."""
from __future__ import annotations

import logging
import threading
from datetime import timezone

from ..services.engine_client import AlreadyDone, EngineClient, EngineUnavailable, Incident, every_page
from .runtime import OdooJobRunner, WorkerSettings

_logger = logging.getLogger(__name__)


class IncidentSync:
    def __init__(self, runner: OdooJobRunner, client: EngineClient, settings: WorkerSettings):
        self.runner = runner
        self.client = client
        self.settings = settings

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                self.sync()
            except EngineUnavailable as err:
                _logger.warning("engine unavailable for the incident import: %s", err)
            stop.wait(self.settings.incident_sync_interval_s)

    def sync(self) -> tuple[int, int]:
        """One import; returns (imported, resolved)."""
        incidents = every_page(self.client.list_incidents)
        listed = [incident.id for incident in incidents]
        known = self.runner.run_plain(lambda env: env["enforcement.process.incident"]._known_incident_ids(listed))
        details = self._details([incident for incident in incidents if incident.id not in known])
        created, resolved = self.runner.run_plain(
            lambda env: tuple(len(rows) for rows in
                              env["enforcement.process.incident"]._sync_from_engine(details, listed)))
        if created or resolved:
            _logger.info("incidents: %s imported, %s resolved", created, resolved)
        return created, resolved

    def _details(self, new: list[Incident]) -> list[dict]:
        """Field values of the new incidents: their case and step, read from
        the engine once per process instance."""
        if not new:
            return []
        keys = self.client.business_keys([incident.process_instance_id for incident in new])
        scopes = {}
        for instance_id in {incident.process_instance_id for incident in new}:
            try:
                scopes.update(self.client.incident_scopes(instance_id))
            except AlreadyDone:
                _logger.info("instance %s ended while its incidents were read; they are gone with it", instance_id)
        rows = []
        for incident in new:
            scope = scopes.get(incident.id)
            rows.append({
                "incident_id": incident.id, "incident_type": incident.incident_type,
                "business_key": keys.get(incident.process_instance_id),
                "process_instance_id": incident.process_instance_id,
                "process_definition_id": incident.process_definition_id,
                "activity_id": incident.activity_id,
                "step_name": scope.activity_name if scope else None,
                "activity_instance_id": scope.instance_id if scope else None,
                "is_transition": scope.transition if scope else False,
                "configuration": incident.configuration, "message": incident.message,
                "incident_time": incident.timestamp.astimezone(timezone.utc).replace(tzinfo=None)
                if incident.timestamp else None,
            })
        return rows
