"""Full-process record on the real stack: a video streams into Odoo over
HTTP and the server's SHA-256 is the one recorded; reading it is logged;
a row changed in PostgreSQL is named by the verify button and by
scripts/verify-chain; a closed case exports as an archive that
scripts/verify_archive.py checks with no database."""
from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import xmlrpc.client
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
CHUNK = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 4000  # ~1 MB of "video"
VIDEO_CHUNKS = 24


def session(stack, login):
    http = requests.Session()
    response = http.post(f"{stack.odoo.url}/web/session/authenticate", json={
        "jsonrpc": "2.0", "params": {"db": stack.odoo.db, "login": login, "password": login}})
    assert response.json().get("result", {}).get("uid"), response.text
    return http


def upload(http, stack, filename, chunks):
    """PUT the body from a generator: the client never holds the whole file either."""
    response = http.put(f"{stack.odoo.url}/enforcement/record/upload", params={"filename": filename},
                        data=iter(chunks), headers={"Content-Type": "video/mp4"})
    response.raise_for_status()
    return response.json()


def create_case(stack, bureau, title):
    return stack.rpc("e2e_officer")("enforcement.case", "create", {
        "title": title, "agency_id": bureau["agency_id"], "party_name": "城关县某某超市有限公司",
        "category_id": bureau["category_id"], "area_id": bureau["area_id"],
        "officer_ids": [(6, 0, [bureau["case_officer_id"]])],
    })


def captured(hours_ago=0):
    return (datetime.now(timezone.utc) - timedelta(hours=hours_ago)).strftime("%Y-%m-%d %H:%M:%S")


def add_video_record(stack, bureau, case_id):
    officer_http = session(stack, "e2e_officer")
    stored = upload(officer_http, stack, "现场检查全程录像.mp4", [CHUNK] * VIDEO_CHUNKS)
    record_id = stack.rpc("e2e_officer")("enforcement.record", "create", {
        "case_id": case_id, "name": "现场检查全程录像", "kind": "video", "stage": "investigation",
        "step_code": "investigation", "captured_at": captured(), "capture_place": "城关县解放路88号",
        "collector_ids": [(6, 0, [bureau["officer_id"]])], "proves": "货架陈列过期食品",
        "upload_ids": [stored["id"]],
    })
    return officer_http, stored, record_id


def test_streamed_upload_is_hashed_by_the_server_and_downloads_are_logged(stack, bureau):
    case_id = create_case(stack, bureau, "某超市销售过期食品案（录像）")
    officer_http, stored, record_id = add_video_record(stack, bureau, case_id)
    expected = hashlib.sha256(CHUNK * VIDEO_CHUNKS).hexdigest()
    assert (stored["sha256"], stored["size"]) == (expected, len(CHUNK) * VIDEO_CHUNKS)

    downloaded = officer_http.get(f"{stack.odoo.url}/enforcement/record/file/{stored['id']}")
    assert downloaded.status_code == 200
    assert hashlib.sha256(downloaded.content).hexdigest() == expected
    assert stack.sql(f"SELECT count(*) FROM enforcement_access_log WHERE case_id = {case_id} "
                     f"AND access_type = 'file_download' AND detail LIKE '%{expected}%'") == "1"

    # Nobody changes a record, not even the administrator over RPC.
    with pytest.raises(xmlrpc.client.Fault, match="cannot be changed"):
        stack.rpc()("enforcement.record", "write", [record_id], {"proves": "改写"})


def test_row_changed_in_postgresql_is_named_by_button_and_command(stack, bureau):
    case_id = create_case(stack, bureau, "某超市销售过期食品案（篡改）")
    add_video_record(stack, bureau, case_id)
    officer = stack.rpc("e2e_officer")
    stack.wait_for(lambda: stack.sql(
        f"SELECT count(*) FROM enforcement_chain_entry WHERE case_id = {case_id} "
        f"AND res_model = 'enforcement.process.event'") != "0", what="the worker's first process event")
    assert officer("enforcement.case", "action_verify_chain", [case_id])["params"]["type"] == "success"

    seq = stack.sql(f"SELECT seq FROM enforcement_chain_entry WHERE case_id = {case_id} "
                    f"AND res_model = 'enforcement.record'")
    stack.sql(f"UPDATE enforcement_record SET proves = '货架陈列正常' WHERE case_id = {case_id}")
    result = officer("enforcement.case", "action_verify_chain", [case_id])
    assert result["params"]["type"] == "danger"
    assert f"entry {seq}" in result["params"]["message"] and "proves changed" in result["params"]["message"]

    reference = stack.sql(f"SELECT name FROM enforcement_case WHERE id = {case_id}")
    done = subprocess.run([str(ROOT / "scripts" / "verify-chain"), "-c", str(stack.odoo.conf),
                           "-d", stack.odoo.db, "--case", reference],
                          capture_output=True, text=True, env=stack.odoo.env(), timeout=300)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"BROKEN {reference}: first broken link at entry {seq}" in done.stdout


def test_closed_case_exports_an_archive_that_verifies_offline(stack, bureau, tmp_path):
    case_id = create_case(stack, bureau, "某餐饮店无证经营案（归档）")
    officer_http, stored, _record = add_video_record(stack, bureau, case_id)
    leader = stack.rpc("e2e_leader")
    task = stack.wait_for(lambda: leader("enforcement.task", "search_read",
                                         [("case_id", "=", case_id), ("state", "=", "open")], fields=["id"]),
                          what="the filing approval task")[0]
    leader("enforcement.task", "write", [task["id"]], {"filing_approved": False, "approval_comment": "证据不足，不予立案"})
    leader("enforcement.task", "action_complete", [task["id"]])

    response = officer_http.get(f"{stack.odoo.url}/enforcement/case/{case_id}/archive")
    assert response.status_code == 200, response.text[:2000]
    archive = tmp_path / "case.zip"
    archive.write_bytes(response.content)
    with zipfile.ZipFile(io.BytesIO(response.content)) as bundle:
        names = bundle.namelist()
        assert bundle.read("documents/01_立案审批表.pdf").startswith(b"%PDF"), "wkhtmltopdf renders real PDFs"
        assert bundle.read("catalogue.pdf").startswith(b"%PDF")
    assert any(name.endswith("现场检查全程录像.mp4") for name in names)
    assert stack.sql(f"SELECT count(*) FROM enforcement_access_log WHERE case_id = {case_id} "
                     f"AND access_type = 'export'") == "1"

    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "verify_archive.py"), str(archive)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("OK ")

    # The same archive with one byte of the video changed is refused, by name.
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(tampered, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.endswith(".mp4"):
                data = data[:-1] + b"\x01"
            target.writestr(item, data)
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "verify_archive.py"), str(tampered)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "现场检查全程录像.mp4 does not match its manifest hash" in done.stdout
