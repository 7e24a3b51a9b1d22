"""Full-process record on the real stack: a video streams into Odoo over
HTTP and the server's SHA-256 is the one recorded; reading it is logged;
a row changed in PostgreSQL is named by the verify button and by
scripts/verify-chain; a closed case exports as an archive that
scripts/verify_archive.py checks with no database."""
from __future__ import annotations

import hashlib
import io
import socket
import subprocess
import sys
import xmlrpc.client
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote

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

    # Exported the day the case closed: no daily anchor covers it yet, which
    # fails unless accepted explicitly, and the first line says so.
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "verify_archive.py"), str(archive)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "no daily anchor" in done.stdout, done.stdout + done.stderr
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "verify_archive.py"), str(archive),
                           "--accept-unanchored"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("OK WITHOUT ANCHORS (accepted by --accept-unanchored): ")

    # The same archive with one byte of the video changed is refused, by name.
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(tampered, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.endswith(".mp4"):
                data = data[:-1] + b"\x01"
            target.writestr(item, data)
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "verify_archive.py"), str(tampered),
                           "--accept-unanchored"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "现场检查全程录像.mp4 does not match its manifest hash" in done.stdout


def test_forged_entry_appended_by_sql_fails_at_once_in_verify_chain(stack, bureau):
    """The insider's attack: a forged record and a chain entry computed with the
    public algorithm after the last head. No anchor is needed to see it."""
    sys.path.insert(0, str(ROOT / "addons" / "admin_enforcement"))
    from enforcement_core import hashchain

    case_id = create_case(stack, bureau, "某超市销售过期食品案（伪造追加）")
    add_video_record(stack, bureau, case_id)
    reference = stack.sql(f"SELECT name FROM enforcement_case WHERE id = {case_id}")
    company = stack.sql(f"SELECT company_id FROM enforcement_case WHERE id = {case_id}")
    forged = stack.sql(f"""INSERT INTO enforcement_record (name, case_id, company_id, kind, stage, step_code,
                               captured_at, stored_at, is_late, is_backfill)
                           VALUES ('伪造的询问笔录', {case_id}, {company}, 'written', 'investigation',
                                   'investigation', now(), now(), false, false) RETURNING id""")
    seq, last_hash = stack.sql(f"SELECT seq || ' ' || entry_hash FROM enforcement_chain_entry "
                               f"WHERE case_id = {case_id} ORDER BY seq DESC LIMIT 1").split()
    entry = hashchain.make_entry(last_hash, {"type": "record", "id": int(forged), "title": "伪造的询问笔录"},
                                 "2026-03-02T10:00:00+00:00", "e2e_officer")
    payload = entry.payload.decode().replace("'", "''")
    stack.sql(f"""INSERT INTO enforcement_chain_entry (case_id, company_id, seq, res_model, res_id, payload,
                      content_hash, timestamp, actor, prev_hash, entry_hash, key_id, signature, create_date)
                  VALUES ({case_id}, {company}, {int(seq) + 1}, 'enforcement.record', {forged}, '{payload}',
                          '{entry.content_hash}', '{entry.timestamp}', '{entry.actor}', '{entry.prev_hash}',
                          '{entry.entry_hash}', '', '', now())""")
    for args in (["--case", reference], []):
        done = subprocess.run([str(ROOT / "scripts" / "verify-chain"), "-c", str(stack.odoo.conf),
                               "-d", stack.odoo.db, "--no-files", *args],
                              capture_output=True, text=True, env=stack.odoo.env(), timeout=300)
        assert done.returncode == 1, done.stdout + done.stderr
        assert f"BROKEN {reference}: first broken link at entry {int(seq) + 1}: it has no signature" in done.stdout


def raw_put(stack, http, filename, headers, body=b""):
    """A PUT whose head the test writes itself, so an early answer can be seen before any body is sent."""
    host, port = stack.odoo.url.split("//", 1)[1].split(":")
    cookie = "; ".join(f"{name}={value}" for name, value in http.cookies.items())
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        head = [f"PUT /enforcement/record/upload?filename={quote(filename)} HTTP/1.1", f"Host: {host}",
                "Content-Type: video/mp4", f"Cookie: {cookie}", "Accept-Language: zh-CN", *headers, "", ""]
        sock.sendall("\r\n".join(head).encode() + body)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, payload = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), payload


def test_bad_uploads_are_refused_on_the_real_stack(stack, bureau, tmp_path):
    http = session(stack, "e2e_officer")
    for name, body, status in (("空白.jpg", b"", 400), ("..", b"\xff\xd8x", 400),
                               ("..\\..\\windows\\evil.exe", b"MZ", 400)):
        response = http.put(f"{stack.odoo.url}/enforcement/record/upload", params={"filename": name},
                            data=body, headers={"Content-Type": "video/mp4"})
        assert response.status_code == status, (name, response.text[:300])
        assert response.json()["error"]
    # Over the configured limit (20 GiB by default) with a Content-Length: answered before any body byte.
    status, payload = raw_put(stack, http, "长录像.mp4", [f"Content-Length: {21 * 1024**3}"])
    assert status == 413, payload[:300]
    # Above Odoo's own 128 MiB default, with a Content-Length (requests takes it from the file): accepted.
    size = 130 * 1024 * 1024
    sparse = tmp_path / "sparse.mp4"
    with open(sparse, "wb") as handle:
        handle.truncate(size)
    with open(sparse, "rb") as body:
        response = http.put(f"{stack.odoo.url}/enforcement/record/upload", params={"filename": "执法记录仪.mp4"},
                            data=body, headers={"Content-Type": "video/mp4"})
    assert response.status_code == 200, response.text[:300]
    assert response.json()["size"] == size
