"""Streamed upload and download of full-process record files, and the case
file export. Uploads go straight from the socket to the filestore in 1 MiB
chunks while the server computes their SHA-256: a video of several hundred
MB never sits in memory, and the client's idea of the hash is never used."""
import json
import os

from werkzeug.exceptions import BadRequest, RequestEntityTooLarge
from werkzeug.wsgi import get_input_stream, wrap_file

from odoo import http
from odoo.http import request
from odoo.tools import config

DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024**3


def _max_upload_bytes():
    return int(config.get("enforcement_max_upload_bytes") or DEFAULT_MAX_UPLOAD_BYTES)


def _stream_response(handle, filename, mimetype, size):
    response = request.make_response(
        wrap_file(request.httprequest.environ, handle),
        headers=[
            ("Content-Type", mimetype or "application/octet-stream"),
            ("Content-Length", str(size)),
            ("Content-Disposition", http.content_disposition(filename)),
            ("X-Content-Type-Options", "nosniff"),
        ],
    )
    response.direct_passthrough = True
    return response


class RecordFiles(http.Controller):

    # PUT with a raw body: browsers cannot send it cross-site without a CORS
    # preflight, which Odoo does not grant, so the CSRF token is not needed.
    @http.route("/enforcement/record/upload", type="http", auth="user", methods=["PUT"], csrf=False)
    def upload(self, filename=None, **_kwargs):
        if not filename:
            raise BadRequest("pass the file name as ?filename=")
        request.env["enforcement.record.file"].check_access("create")  # officers, not every logged-in user
        httprequest = request.httprequest
        limit = _max_upload_bytes()
        if (httprequest.content_length or 0) > limit:
            raise RequestEntityTooLarge(f"uploads are limited to {limit} bytes")
        # Odoo's public environ hides wsgi.input; the raw environ is what
        # Odoo itself reads for streams (bus/websocket.py does the same).
        # werkzeug bounds it to Content-Length, or dechunks it.
        stream = get_input_stream(httprequest._HTTPRequest__environ)
        stored = request.env["enforcement.record.file"]._store_stream(
            filename, stream, mimetype=httprequest.mimetype or None,
            length=httprequest.content_length, max_bytes=limit,
        )
        body = {"id": stored.id, "name": stored.name, "size": stored.file_size, "sha256": stored.sha256}
        return request.make_response(json.dumps(body), headers=[("Content-Type", "application/json")])

    @http.route("/enforcement/record/file/<int:file_id>", type="http", auth="user", methods=["GET"])
    def download(self, file_id):
        file = request.env["enforcement.record.file"].browse(file_id)
        file.check_access("read")
        if file.record_id:
            request.env["enforcement.access.log"]._log(
                file.record_id.case_id, "file_download", detail=f"{file.name} ({file.sha256})")
        return _stream_response(file._open_blob(), file.name, file.mimetype, file.file_size)

    @http.route("/enforcement/case/<int:case_id>/archive", type="http", auth="user", methods=["GET"])
    def export_archive(self, case_id):
        case = request.env["enforcement.case"].browse(case_id)
        path = case._export_archive()
        handle = open(path, "rb")
        os.unlink(path)  # the open handle keeps the data until the response is sent
        filename = f"{case.number or case.name}.zip"
        return _stream_response(handle, filename, "application/zip", os.fstat(handle.fileno()).st_size)
