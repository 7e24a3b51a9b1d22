#!/usr/bin/env python3
"""Verify an exported case file (案卷) offline, with no database.

Usage: python scripts/verify_archive.py CASE.zip [--public-key bureau_public_key.pem]

Checks, and names the first thing that is wrong:
1. every member listed in manifest.json is in the zip with the listed SHA-256
   and size, and the zip holds nothing unlisted;
2. the case's hash chain (payloads, content hashes, links) is intact;
3. every file of every chained record is in the archive with the hash the
   chain recorded, and every file in the archive belongs to a chained record;
4. each daily anchor that covers the case is signed by the bureau's key, its
   leaves give the signed Merkle root, and the case's anchored head is in
   the chain at its position.
Pass the bureau's published public key with --public-key; without it the key
embedded in the archive is used, which proves integrity but not origin.

Needs only the standard library, ``cryptography`` and the addon's
``enforcement_core`` package (found next to this script in the repository,
or on PYTHONPATH).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import zipfile
from pathlib import Path

CORE_PARENT = Path(__file__).resolve().parents[1] / "addons" / "admin_enforcement"
if CORE_PARENT.is_dir():
    sys.path.insert(0, str(CORE_PARENT))

from enforcement_core import hashchain  # noqa: E402

ARCHIVE_FORMAT = "admin_enforcement/case-archive@1"
CHUNK = 1024 * 1024


class ArchiveProblem(Exception):
    """The first thing wrong with the archive."""


def _member_sha256(archive: zipfile.ZipFile, name: str) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with archive.open(name) as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def check_members(archive: zipfile.ZipFile, manifest: dict) -> int:
    listed = {member["path"]: member for member in manifest["members"]}
    present = set(archive.namelist()) - {"manifest.json"}
    for name in sorted(present - set(listed)):
        raise ArchiveProblem(f"{name} is in the archive but not in the manifest")
    for name, member in listed.items():
        if name not in present:
            raise ArchiveProblem(f"{name} is listed in the manifest but missing from the archive")
        sha, size = _member_sha256(archive, name)
        if sha != member["sha256"] or size != member["size"]:
            raise ArchiveProblem(f"{name} does not match its manifest hash (content changed)")
    return len(listed)


def check_chain(manifest: dict) -> list[hashchain.ChainEntry]:
    rows = manifest["chain"]
    for position, row in enumerate(rows, start=1):
        if row["seq"] != position:
            raise ArchiveProblem(f"chain entry {position}: holds seq {row['seq']} (entry removed or reordered)")
    entries = [
        hashchain.ChainEntry(row["payload"].encode("utf-8"), row["content_hash"], row["timestamp"],
                             row["actor"], row["prev_hash"], row["entry_hash"])
        for row in rows
    ]
    result = hashchain.verify_chain(entries)
    if not result.ok:
        raise ArchiveProblem(f"chain entry {result.first_broken_index + 1}: {result.reason.split(': ', 1)[-1]}")
    return entries


def check_files(manifest: dict) -> int:
    members = {member["path"]: member["sha256"] for member in manifest["members"]}
    archived = {}
    for file in manifest["files"]:
        if members.get(file["path"]) != file["sha256"]:
            raise ArchiveProblem(f"{file['path']} is not in the archive with the hash its record states")
        archived.setdefault(file["record_id"], []).append(file["sha256"])
    chained = {}
    for row in manifest["chain"]:
        content = json.loads(row["payload"])
        if content.get("type") == "record":
            chained[content["id"]] = sorted(f["sha256"] for f in content["files"])
            if sorted(archived.get(content["id"], [])) != chained[content["id"]]:
                raise ArchiveProblem(f"chain entry {row['seq']}: the files of record #{content['id']} in the "
                                     f"archive differ from those the chain recorded")
    for record_id in archived:
        if record_id not in chained:
            raise ArchiveProblem(f"files of record #{record_id} are in the archive but the record is not in the chain")
    return sum(len(hashes) for hashes in chained.values())


def check_anchors(manifest: dict, entries: list[hashchain.ChainEntry], public_key_pem: bytes | None) -> int:
    for anchor in manifest["anchors"]:
        label = f"anchor of {anchor['date']}"
        key = hashchain.load_public_key(public_key_pem or anchor["public_key_pem"].encode())
        signed = hashchain.Anchor(anchor["merkle_root"], anchor["leaf_count"], anchor["last_entry_hash"],
                                  anchor["anchored_at"], anchor["signature"])
        if not hashchain.verify_anchor(key, signed):
            raise ArchiveProblem(f"{label}: the signature does not verify with the bureau's key")
        leaves = anchor["leaves"]
        if (len(leaves) != anchor["leaf_count"] or hashchain.merkle_root(leaves) != anchor["merkle_root"]
                or leaves[-1] != anchor["last_entry_hash"]):
            raise ArchiveProblem(f"{label}: its leaves do not give the signed Merkle root")
        head = anchor["case_leaf"]
        if leaves[head["position"]] != head["entry_hash"]:
            raise ArchiveProblem(f"{label}: the case's head is not the leaf at position {head['position']}")
        seq = head["seq"]
        if seq > len(entries) or entries[seq - 1].entry_hash != head["entry_hash"]:
            raise ArchiveProblem(f"chain entry {seq}: does not match the head signed in the {label} "
                                 f"(entries removed or rewritten)")
    return len(manifest["anchors"])


def verify_archive(path: str | Path, public_key_pem: bytes | None = None) -> str:
    """Return a one-line summary, or raise ArchiveProblem naming the first problem."""
    with zipfile.ZipFile(path) as archive:
        try:
            manifest = json.loads(archive.read("manifest.json"))
        except KeyError as exc:
            raise ArchiveProblem("the archive has no manifest.json") from exc
        if manifest.get("format") != ARCHIVE_FORMAT:
            raise ArchiveProblem(f"unknown archive format {manifest.get('format')!r}")
        members = check_members(archive, manifest)
    entries = check_chain(manifest)
    files = check_files(manifest)
    anchors = check_anchors(manifest, entries, public_key_pem)
    case = manifest["case"]
    return (f"{case['number'] or case['reference']}: {members} members, {len(entries)} chain entries, "
            f"{files} record files, {anchors} anchor(s) verified")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("archive")
    parser.add_argument("--public-key", help="the bureau's published Ed25519 public key (PEM)")
    args = parser.parse_args(argv)
    public_key = Path(args.public_key).read_bytes() if args.public_key else None
    try:
        summary = verify_archive(args.archive, public_key)
    except ArchiveProblem as problem:
        print(f"BROKEN: {problem}")
        return 1
    print(f"OK {summary}")
    if public_key is None:
        print("note: checked against the key embedded in the archive; pass --public-key to prove its origin")
    return 0


if __name__ == "__main__":
    sys.exit(main())
