import json

from odoo import http
from odoo.http import request


class CertificateVerification(http.Controller):
    """Public verification of an enforcement certificate (事中公示: anyone may check
    a certificate shown to them). The QR code on the card links to the token URL;
    the number can also be typed in. Only the public fields are returned."""

    def _respond(self, data):
        if data is None:
            body, status = {"found": False}, 404
        else:
            body, status = {"found": True, **data}, 200
        return request.make_response(
            json.dumps(body, ensure_ascii=False, default=str),
            headers=[("Content-Type", "application/json; charset=utf-8"), ("Cache-Control", "no-store")],
            status=status,
        )

    @http.route("/enforcement/certificate/verify/<string:token>", type="http", auth="public",
                methods=["GET"], readonly=True)
    def verify_token(self, token, **kwargs):
        return self._respond(request.env["enforcement.certificate"]._public_verification_data(token=token))

    @http.route("/enforcement/certificate/verify", type="http", auth="public", methods=["GET"], readonly=True)
    def verify_number(self, number=None, **kwargs):
        return self._respond(request.env["enforcement.certificate"]._public_verification_data(number=number))
