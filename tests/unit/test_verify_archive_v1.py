"""A case file exported before signatures (case-archive@1) stays verifiable
with the rules of its time, and the verifier says first that it is unsigned.

The @1 export code is gone, so the archive is built here by hand with the
layout of that time (git show 476a921:addons/admin_enforcement/models/
enforcement_case_record.py): no manifest.sig, chain entries without key id
or signature, anchors signed over four fields with the public key embedded.
"""

import hashlib
import importlib.util
import json
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from enforcement_core import hashchain

VERIFY_ARCHIVE = Path(__file__).resolve().parents[2] / "scripts" / "verify_archive.py"
CASE = "ZF-2026-0007"


@pytest.fixture(scope="module")
def verifier():
    spec = importlib.util.spec_from_file_location("verify_archive", VERIFY_ARCHIVE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bureau_key():
    return Ed25519PrivateKey.generate()


def _pem(key):
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def _old_anchor_signature(key, merkle_root, leaf_count, last_entry_hash, anchored_at):
    """What the anchor job signed before key ids: four fields, no type, no key id."""
    return key.sign(hashchain.canonical_bytes({
        "anchored_at": anchored_at, "last_entry_hash": last_entry_hash,
        "leaf_count": leaf_count, "merkle_root": merkle_root,
    })).hex()


def _v1_archive(tmp_path, key, *, anchored=True, edit=None, members_override=None):
    """A small @1 case file: a process event, a record with one photo, a document and the catalogue."""
    photo = b"\xff\xd8 a photo of the shelf"
    photo_sha = hashlib.sha256(photo).hexdigest()
    contents = [
        {"type": "process_event", "id": 3, "case": CASE, "kind": "service_task", "step": "Task_AssignNumber",
         "step_name": "立案编号", "outcome": "", "actor": "", "job_key": "", "at": "2026-03-01 09:00:00"},
        {"type": "record", "id": 7, "case": CASE, "name": "现场照片", "kind": "photo",
         "files": [{"name": "货架.jpg", "sha256": photo_sha, "size": len(photo)}]},
    ]
    entries = hashchain.build_chain([(content, f"2026-03-01T0{index}:00:00+00:00", "officer")
                                     for index, content in enumerate(contents, start=1)])
    chain = [{"seq": seq, "source_model": model, "source_id": content["id"], "payload": entry.payload.decode(),
              "content_hash": entry.content_hash, "timestamp": entry.timestamp, "actor": entry.actor,
              "prev_hash": entry.prev_hash, "entry_hash": entry.entry_hash}
             for seq, (entry, content, model) in enumerate(
                 zip(entries, contents, ("enforcement.process.event", "enforcement.record")), start=1)]
    anchors = []
    if anchored:
        leaves = ["ab" * 32, entries[-1].entry_hash]
        root = hashchain.merkle_root(leaves)
        anchored_at = "2026-03-01T16:00:05+00:00"
        anchors.append({
            "date": "2026-03-01", "agency": "城关县市场监督管理局", "merkle_root": root, "leaf_count": 2,
            "last_entry_hash": leaves[-1], "anchored_at": anchored_at,
            "signature": _old_anchor_signature(key, root, 2, leaves[-1], anchored_at),
            "public_key_pem": _pem(key).decode(), "leaves": leaves,
            "case_leaf": {"position": 1, "seq": 2, "entry_hash": entries[-1].entry_hash},
        })
    data = {"documents/01_立案审批表.pdf": b"%PDF-1.4 approval", "catalogue.xlsx": b"PK catalogue",
            "files/000007/货架.jpg": photo}
    members = [{"path": name, "size": len(blob), "sha256": hashlib.sha256(blob).hexdigest()}
               for name, blob in data.items()]
    manifest = {
        "format": "admin_enforcement/case-archive@1",
        "exported_at": "2026-03-05T08:00:00+00:00", "exported_by": "officer",
        "case": {"reference": CASE, "number": "城市监罚〔2026〕7号", "title": "某超市销售过期食品案",
                 "agency": "城关县市场监督管理局", "party": "城关县惠民超市有限公司", "state": "closed"},
        "verified_at_export": {"ok": True, "seq": None, "reason": "2 entries verified"},
        "documents": [{"title": "立案审批表", "path": "documents/01_立案审批表.pdf"}],
        "files": [{"record_id": 7, "name": "货架.jpg", "path": "files/000007/货架.jpg", "sha256": photo_sha}],
        "members": members,
        "chain": chain,
        "anchors": anchors,
    }
    if edit:
        edit(manifest)
    path = tmp_path / "case-v1.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, blob in {**data, **(members_override or {})}.items():
            archive.writestr(name, blob)
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True))
    return path


def test_v1_archive_fails_unless_unsigned_is_accepted(verifier, bureau_key, tmp_path):
    path = _v1_archive(tmp_path, bureau_key)
    with pytest.raises(verifier.ArchiveProblem, match=r"format case-archive@1.*--accept-unsigned"):
        verifier.verify_archive(path, _pem(bureau_key))


def test_v1_archive_verifies_with_the_rules_of_its_time_and_says_first_it_is_unsigned(
        verifier, bureau_key, tmp_path):
    path = _v1_archive(tmp_path, bureau_key)
    first = verifier.verify_archive(path, _pem(bureau_key), accept_unsigned=True)
    assert first.startswith("OK FORMAT @1, UNSIGNED (accepted by --accept-unsigned)"), first
    assert "only as trustworthy as this copy" in first
    assert "3 members, 2 unsigned chain entries, 1 record files, 1 anchor(s) verified" in first
    # Without a key ring, the key embedded in each anchor is used, as then.
    assert verifier.verify_archive(path, accept_unsigned=True).startswith("OK FORMAT @1, UNSIGNED")


def test_v1_archive_on_the_command_line(verifier, bureau_key, tmp_path, capsys):
    path = _v1_archive(tmp_path, bureau_key)
    assert verifier.main([str(path)]) == 1
    assert capsys.readouterr().out.startswith("BROKEN: format case-archive@1")
    assert verifier.main([str(path), "--accept-unsigned"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("OK FORMAT @1, UNSIGNED")


def test_v1_archive_without_anchor_also_needs_accept_unanchored(verifier, bureau_key, tmp_path):
    path = _v1_archive(tmp_path, bureau_key, anchored=False)
    with pytest.raises(verifier.ArchiveProblem, match="no daily anchor"):
        verifier.verify_archive(path, _pem(bureau_key), accept_unsigned=True)
    first = verifier.verify_archive(path, _pem(bureau_key), accept_unsigned=True, accept_unanchored=True)
    assert first.startswith("OK FORMAT @1, UNSIGNED, WITHOUT ANCHORS (accepted by --accept-unsigned "
                            "--accept-unanchored)"), first


def test_v1_member_changed_is_named(verifier, bureau_key, tmp_path):
    path = _v1_archive(tmp_path, bureau_key, members_override={"files/000007/货架.jpg": b"another photo"})
    with pytest.raises(verifier.ArchiveProblem, match="货架.jpg does not match its manifest hash"):
        verifier.verify_archive(path, _pem(bureau_key), accept_unsigned=True)


def test_v1_chain_payload_changed_is_named(verifier, bureau_key, tmp_path):
    def edit(manifest):
        manifest["chain"][0]["payload"] = manifest["chain"][0]["payload"].replace("立案编号", "结案")
    path = _v1_archive(tmp_path, bureau_key, edit=edit)
    with pytest.raises(verifier.ArchiveProblem, match="chain entry 1: content does not match"):
        verifier.verify_archive(path, _pem(bureau_key), accept_unsigned=True)


def test_v1_anchor_signature_is_checked_with_the_old_signed_fields(verifier, bureau_key, tmp_path):
    def edit(manifest):
        manifest["anchors"][0]["anchored_at"] = "2026-03-02T16:00:05+00:00"
    path = _v1_archive(tmp_path, bureau_key, edit=edit)
    with pytest.raises(verifier.ArchiveProblem, match="anchor of 2026-03-01.*signature does not verify"):
        verifier.verify_archive(path, _pem(bureau_key), accept_unsigned=True)


def test_v1_anchor_key_must_be_in_the_given_key_ring(verifier, bureau_key, tmp_path):
    path = _v1_archive(tmp_path, bureau_key)
    stranger = _pem(Ed25519PrivateKey.generate())
    with pytest.raises(verifier.ArchiveProblem, match="not in the bureau's key ring"):
        verifier.verify_archive(path, stranger, accept_unsigned=True)
    # An anchor re-signed by someone else, with their key embedded, is caught by the published ring.
    impostor = Ed25519PrivateKey.generate()
    path = _v1_archive(tmp_path, impostor)
    with pytest.raises(verifier.ArchiveProblem, match="not in the bureau's key ring"):
        verifier.verify_archive(path, _pem(bureau_key), accept_unsigned=True)


def test_v1_anchor_compared_with_the_published_copy_by_what_it_says(verifier, bureau_key, tmp_path):
    """The upgrade signs an old anchor again with its key id before publishing it: same content, new signature."""
    path = _v1_archive(tmp_path, bureau_key)
    with zipfile.ZipFile(path) as archive:
        anchor = json.loads(archive.read("manifest.json"))["anchors"][0]
    copy = {name: anchor[name] for name in ("agency", "date", "merkle_root", "leaf_count", "last_entry_hash",
                                            "anchored_at")}
    copy.update(key_id=hashchain.key_id(bureau_key.public_key()), signature="ef" * 64)
    first = verifier.verify_archive(path, _pem(bureau_key), [copy], accept_unsigned=True)
    assert "1 matching the published anchors" in first
    with pytest.raises(verifier.ArchiveProblem, match=r"differs from the published anchor \(merkle_root\)"):
        verifier.verify_archive(path, _pem(bureau_key), [dict(copy, merkle_root="cd" * 32)], accept_unsigned=True)
