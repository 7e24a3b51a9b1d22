"""Streamed upload and download of full-process record files, and the case
file export. Uploads go straight from the socket to the filestore in 1 MiB
chunks while the server computes their SHA-256: a two-hour body-camera video
never sits in memory, and the client's idea of the hash is never used."""
import json
import os

from werkzeug.exceptions import abort
from werkzeug.wsgi import get_input_stream, wrap_file

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools import config

from ..models.enforcement_record import UploadTooLarge

DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024**3
# werkzeug parses these bodies itself, to their end, before the controller runs.
FORM_MIMETYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def _max_upload_bytes():
    return int(config.get("enforcement_max_upload_bytes") or DEFAULT_MAX_UPLOAD_BYTES)


def _refusal(status, message):
    return request.make_response(json.dumps({"error": message}, ensure_ascii=False), status=status,
                                 headers=[("Content-Type", "application/json; charset=utf-8")])


def _upload_body_limit(_controller):
    """The route's ``max_content_length``, which Odoo asks for before it reads
    the body. Odoo's own limit (128 MiB unless ``web.max_file_upload_size``)
    would cap a video, and werkzeug reads an over-limit body to its end
    before answering 413. So: an announced over-limit length and a form body
    are refused here, before a byte of the body is read, and werkzeug gets
    no limit (None); ``_store_stream`` enforces ours on every transfer
    encoding while it streams."""
    httprequest = request.httprequest
    Files = request.env["enforcement.record.file"]
    limit = _max_upload_bytes()
    if (httprequest.content_length or 0) > limit:
        abort(_refusal(413, Files._too_large_message(httprequest.args.get("filename", ""), limit)))
    if httprequest.mimetype in FORM_MIMETYPES:
        abort(_refusal(415, request.env._(
            "Send the file as the raw body of the PUT request, not as a form.")))
    return None


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
    @http.route("/enforcement/record/upload", type="http", auth="user", methods=["PUT"], csrf=False,
                max_content_length=_upload_body_limit)
    def upload(self, filename=None, **_kwargs):
        Files = request.env["enforcement.record.file"]
        Files.check_access("create")  # officers, not every logged-in user
        httprequest = request.httprequest
        # Odoo's public environ hides wsgi.input; the raw environ is what
        # Odoo itself reads for streams (bus/websocket.py does the same).
        # werkzeug bounds it to Content-Length, or dechunks it.
        stream = get_input_stream(httprequest._HTTPRequest__environ)
        try:
            stored = Files._store_stream(
                filename or "", stream, mimetype=httprequest.mimetype or None,
                length=httprequest.content_length, max_bytes=_max_upload_bytes(),
            )
        except UploadTooLarge as refusal:
            return _refusal(413, str(refusal))
        except UserError as refusal:
            return _refusal(400, str(refusal))
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
