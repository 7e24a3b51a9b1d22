"""The streamed upload over real HTTP: the configured limit holds whatever
the transfer encoding, an over-limit body is refused as soon as the limit is
passed (the server does not read the rest), bodies above Odoo's own 128 MiB
default are accepted, and empty files and names that are not a plain file
name are refused with a Chinese message."""
import json
import os
import socket
import tempfile
import time
from unittest.mock import patch

from odoo.fields import Command
from odoo.tests import HttpCase, tagged
from odoo.tests.common import HOST, TEST_CURSOR_COOKIE_NAME
from odoo.tools import config

from odoo.addons.mail.tests.common import mail_new_test_user
from .chinese import load_chinese

MIB = 1024 * 1024
PREFIX = "admin_enforcement.group_enforcement_"


@tagged("post_install", "-at_install")
class TestRecordUpload(HttpCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)
        company = cls.env["res.company"].create({"name": "城关县市场监督管理局（上传测试）"})
        cls.officer = mail_new_test_user(
            cls.env, login="upload_officer", groups=f"base.group_user,{PREFIX}officer", company_id=company.id,
            company_ids=[Command.set(company.ids)], name="upload_officer", lang="zh_CN")

    def setUp(self):
        super().setUp()
        self.authenticate("upload_officer", "upload_officer")
        self.stored_before = set(self.env["enforcement.record.file"].sudo().search([]).ids)

    def _limit(self, limit):
        limit_patch = patch.dict(config.options, {"enforcement_max_upload_bytes": str(limit)})
        limit_patch.start()
        self.addCleanup(limit_patch.stop)

    def _put(self, filename, body, headers=None):
        return self.opener.put(f"{self.base_url()}/enforcement/record/upload", params={"filename": filename},
                               data=body, headers={"Content-Type": "video/mp4", **(headers or {})}, timeout=60)

    def _assert_refused(self, response, status, text):
        self.assertEqual(response.status_code, status, response.text[:500])
        self.assertIn(text, response.json()["error"])
        self.assertEqual(set(self.env["enforcement.record.file"].sudo().search([]).ids), self.stored_before,
                         "nothing is stored")

    def _raw_request(self, headers):
        """Open a connection and send only the request head: the test decides when to send body bytes."""
        sock = socket.create_connection((HOST, self.http_port()), timeout=30)
        self.addCleanup(sock.close)
        cookie = f"session_id={self.session.sid}; {TEST_CURSOR_COOKIE_NAME}={self.http_request_key}"
        head = [f"PUT /enforcement/record/upload?filename=video.mp4 HTTP/1.1", f"Host: {HOST}",
                "Content-Type: video/mp4", f"Cookie: {cookie}", *headers, "", ""]
        sock.sendall("\r\n".join(head).encode())
        return sock

    @staticmethod
    def _read_response(sock):
        """The whole answer: the server closes the connection after it (Connection: close)."""
        data = b""
        try:
            while chunk := sock.recv(65536):
                data += chunk
        except ConnectionResetError:  # pylint: disable=except-pass
            pass  # a reset after the answer (body bytes left unread) loses nothing already received
        status = int(data.split(b" ", 2)[1]) if data else None
        return status, data

    def _sparse_file(self, size):
        handle = tempfile.NamedTemporaryFile(prefix="sparse-upload-", delete=False)
        self.addCleanup(os.unlink, handle.name)
        handle.truncate(size)  # no blocks on disk: a multi-GB body costs nothing to prepare
        handle.close()
        return handle.name

    def test_empty_file_is_refused(self):
        self._assert_refused(self._put("空白.jpg", b""), 400, "空文件")

    def test_names_that_are_not_a_plain_file_name_are_refused(self):
        for name in ("..", ".", "..\\..\\windows\\evil.exe", "a/b.jpg", "CON", "nul.txt", "COM1.mp4",
                     "录像.mp4.", "录像.mp4 ", "bad\x07name.jpg", "tab\tname.jpg"):
            with self.subTest(name=name):
                self._assert_refused(self._put(name, b"\xff\xd8jpeg"), 400, "文件名")

    def test_over_limit_with_content_length_is_refused_before_the_body_is_read(self):
        """The head announces 5 GiB; the answer comes without a byte of the body being sent."""
        self._limit(8 * MIB)
        sock = self._raw_request([f"Content-Length: {5 * 1024 * MIB}"])
        status, data = self._read_response(sock)
        self.assertEqual(status, 413, data[:500])
        self.assertIn("上传上限", data.decode("utf-8", "replace"))

    def test_over_limit_chunked_is_refused_as_soon_as_the_limit_is_passed(self):
        """A chunked body (no Content-Length) that passes the limit is answered at once,
        while the client has not yet sent the end of the body."""
        self._limit(4 * MIB)
        sock = self._raw_request(["Transfer-Encoding: chunked"])
        piece = b"\x00" * (256 * 1024)
        # One 1 MiB read past the limit; exactly that, so the server leaves no byte unread.
        for _ in range(5 * MIB // len(piece)):
            sock.sendall(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
        status, data = self._read_response(sock)  # the terminating chunk is never sent
        self.assertEqual(status, 413, data[:500])
        self.assertEqual(set(self.env["enforcement.record.file"].sudo().search([]).ids), self.stored_before)

    def test_sparse_multi_gb_body_over_the_limit_is_not_read_to_the_end(self):
        """5 GiB streamed (chunked) against a 64 MiB limit: refused after about 64 MiB."""
        self._limit(64 * MIB)
        path = self._sparse_file(5 * 1024 * MIB)
        start = time.monotonic()
        with open(path, "rb") as body:
            try:
                response = self._put("大文件.mp4", iter(lambda: body.read(MIB), b""))
            except OSError:
                response = None  # the server closed the connection while the client was still sending
            consumed = body.tell()
        self.assertLess(consumed, 1024 * MIB, "the client was stopped long before the end of the body")
        self.assertLess(time.monotonic() - start, 60)
        if response is not None:
            self._assert_refused(response, 413, "上传上限")

    def test_body_above_odoos_default_128_mib_is_accepted_with_content_length(self):
        path = self._sparse_file(200 * MIB)
        with open(path, "rb") as body:
            response = self._put("执法记录仪录像.mp4", body, headers={"Content-Length": str(200 * MIB)})
        self.assertEqual(response.status_code, 200, response.text[:500])
        stored = response.json()
        self.assertEqual(stored["size"], 200 * MIB)
        file = self.env["enforcement.record.file"].sudo().browse(stored["id"])
        self.addCleanup(lambda: os.path.exists(file._blob_path(file.sha256)) and os.unlink(
            file._blob_path(file.sha256)))
        self.assertEqual(file._hash_blob(), stored["sha256"])

    def test_plain_upload_answers_id_and_server_hash(self):
        response = self._put("现场照片.jpg", b"\xff\xd8jpeg-bytes")
        self.assertEqual(response.status_code, 200, response.text[:500])
        self.assertEqual(json.loads(response.text)["size"], len(b"\xff\xd8jpeg-bytes"))
