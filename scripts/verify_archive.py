#!/usr/bin/env python3
"""Verify an exported case file (案卷) offline, with no database.

Usage: python scripts/verify_archive.py CASE.zip [--public-key bureau_public_keys.pem]
           [--published anchors.json] [--accept-unanchored] [--accept-unsigned]

Checks, and names the first thing that is wrong:
1. manifest.json is signed by the bureau's key (manifest.sig); the manifest
   lists every other member (documents, catalogues, record files) with its
   hash, and holds the case block, the chain and the anchors;
2. every member listed is in the zip with the listed SHA-256 and size, its
   name is safe to extract on Windows and Unix, and the zip holds nothing
   unlisted;
3. the case's hash chain (payloads, content hashes, links) is intact and
   every entry is signed by the bureau's key;
4. every file of every chained record is in the archive with the hash the
   chain recorded, and every file in the archive belongs to a chained record;
5. each daily anchor that covers the case is signed by the bureau's key, its
   leaves give the signed Merkle root, and the case's anchored head is in
   the chain at its position; with --published (the portal's anchors.json,
   saved earlier), each anchor is the one that was published.
Pass the bureau's published key ring with --public-key (one PEM file may
hold several keys: old keys stay after a rotation); without it the keys
embedded in the archive are used, which proves integrity but not origin.
An archive with no anchor, or without the manifest signature, fails unless
--accept-unanchored / --accept-unsigned is given; the first output line then
says what was accepted. Entry numbers are the sequence numbers of the case.

A case file exported before signatures (format case-archive@1) is checked
with the rules of its time: member hashes, the chain's hashes and links, the
record files, and anchors signed over their four fields with the key they
embed (which must be in --public-key's ring when one is given). Nothing in
it is signed by the bureau, so its manifest and documents are only as
trustworthy as the copy: it fails unless --accept-unsigned is given, and the
first line then says "OK FORMAT @1, UNSIGNED".

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
from enforcement_core.filenames import member_path_problem  # noqa: E402

ARCHIVE_FORMAT = "admin_enforcement/case-archive@2"
#: Exported before signatures: no manifest.sig, unsigned entries, anchors without key ids.
ARCHIVE_FORMAT_V1 = "admin_enforcement/case-archive@1"
MANIFEST_SIGNATURE_KIND = "case_archive_manifest"
OWN_MEMBERS = ("manifest.json", "manifest.sig")
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


def check_signature(archive: zipfile.ZipFile, manifest_bytes: bytes, keys: hashchain.KeyRing,
                    accept_unsigned: bool) -> bool:
    """True if the manifest is signed by the bureau; False if unsigned and that is accepted."""
    try:
        signed = json.loads(archive.read("manifest.sig"))
    except KeyError:
        if accept_unsigned:
            return False
        raise ArchiveProblem("manifest.json is not signed (no manifest.sig); "
                             "pass --accept-unsigned to check it anyway") from None
    if signed.get("key_id") not in keys:
        raise ArchiveProblem(f"manifest.json is signed with key {signed.get('key_id')}, "
                             f"which is not in the bureau's key ring")
    if not hashchain.verify_document(keys, MANIFEST_SIGNATURE_KIND, manifest_bytes, signed):
        raise ArchiveProblem("the signature of manifest.json does not verify with the bureau's key "
                             "(manifest changed after export)")
    return True


def check_members(archive: zipfile.ZipFile, manifest: dict, own_members=OWN_MEMBERS) -> int:
    listed = {member["path"]: member for member in manifest["members"]}
    for name in sorted(set(archive.namelist()) | set(listed)):
        problem = member_path_problem(name)
        if problem is not None:
            raise ArchiveProblem(f"member name {name!r} is not safe to extract ({problem[0]})")
    present = set(archive.namelist()) - set(own_members)
    for name in sorted(present - set(listed)):
        raise ArchiveProblem(f"{name} is in the archive but not in the manifest")
    for name, member in listed.items():
        if name not in present:
            raise ArchiveProblem(f"{name} is listed in the manifest but missing from the archive")
        sha, size = _member_sha256(archive, name)
        if sha != member["sha256"] or size != member["size"]:
            raise ArchiveProblem(f"{name} does not match its manifest hash (content changed)")
    return len(listed)


def check_chain(manifest: dict, keys: hashchain.KeyRing | None) -> list[hashchain.ChainEntry]:
    """The chain's hashes and links and, given ``keys``, every entry's signature (None: @1, unsigned)."""
    rows = manifest["chain"]
    for position, row in enumerate(rows, start=1):
        if row["seq"] != position:
            raise ArchiveProblem(f"chain entry {position}: holds seq {row['seq']} (entry removed or reordered)")
    entries = [
        hashchain.ChainEntry(row["payload"].encode("utf-8"), row["content_hash"], row["timestamp"],
                             row["actor"], row["prev_hash"], row["entry_hash"], row.get("key_id", ""),
                             row.get("signature", ""))
        for row in rows
    ]
    # One case: every signature is checked, not only the last one.
    result = hashchain.verify_chain(entries, keys=keys, chain_id=manifest["case"]["reference"], every_signature=True)
    if not result.ok:
        raise ArchiveProblem(f"chain {result.reason}")
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


def _check_anchor_signature(anchor: dict, label: str, keys: hashchain.KeyRing) -> None:
    signed = hashchain.Anchor(anchor["merkle_root"], anchor["leaf_count"], anchor["last_entry_hash"],
                              anchor["anchored_at"], anchor["signature"], anchor["key_id"])
    if anchor["key_id"] not in keys:
        raise ArchiveProblem(f"{label}: signed with key {anchor['key_id']}, which is not in the bureau's key ring")
    if not hashchain.verify_anchor(keys, signed):
        raise ArchiveProblem(f"{label}: the signature does not verify with the bureau's key")


def _check_anchor_signature_v1(anchor: dict, label: str, keys: hashchain.KeyRing | None) -> None:
    """@1: the anchor embeds its public key and signs four fields; with a key ring, that key must be in it."""
    try:
        key = hashchain.load_public_key(anchor["public_key_pem"].encode())
    except (KeyError, ValueError) as exc:
        raise ArchiveProblem(f"{label}: its embedded public key cannot be read ({exc})") from None
    kid = hashchain.key_id(key)
    if keys is not None and kid not in keys:
        raise ArchiveProblem(f"{label}: signed with key {kid}, which is not in the bureau's key ring")
    signed = hashchain.Anchor(anchor["merkle_root"], anchor["leaf_count"], anchor["last_entry_hash"],
                              anchor["anchored_at"], anchor["signature"])
    if not hashchain.verify_anchor_v1(key, signed):
        raise ArchiveProblem(f"{label}: the signature does not verify with the bureau's key")


def check_anchors(manifest: dict, entries: list[hashchain.ChainEntry], keys: hashchain.KeyRing | None,
                  published: list[dict] | None, v1: bool = False) -> tuple[int, int]:
    """(anchors verified, anchors compared with the published copy)."""
    by_day = {(anchor["agency"], anchor["date"]): anchor for anchor in published or []}
    # An @1 anchor was signed again with its key id at the upgrade, before it was
    # published: the published copy repeats what it says, not its signature.
    compared_fields = [name for name in hashchain.PUBLISHED_ANCHOR_FIELDS
                       if not v1 or name not in ("key_id", "signature")]
    compared = 0
    for anchor in manifest["anchors"]:
        label = f"anchor of {anchor['date']} ({anchor['agency']})"
        if v1:
            _check_anchor_signature_v1(anchor, label, keys)
        else:
            _check_anchor_signature(anchor, label, keys)
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
        copy = by_day.get((anchor["agency"], anchor["date"]))
        if copy is not None:
            changed = [name for name in compared_fields if copy.get(name) != anchor[name]]
            if changed:
                raise ArchiveProblem(f"{label}: differs from the published anchor ({', '.join(changed)}): "
                                     f"history was rewritten after publication")
            compared += 1
    return len(manifest["anchors"]), compared


def verify_archive(path: str | Path, public_key_pem: bytes | None = None, published: list[dict] | None = None,
                   accept_unanchored: bool = False, accept_unsigned: bool = False) -> str:
    """Return the first output line, or raise ArchiveProblem naming the first problem."""
    with zipfile.ZipFile(path) as archive:
        try:
            manifest_bytes = archive.read("manifest.json")
        except KeyError as exc:
            raise ArchiveProblem("the archive has no manifest.json") from exc
        manifest = json.loads(manifest_bytes)
        if manifest.get("format") == ARCHIVE_FORMAT_V1:
            return _verify_v1(archive, manifest, public_key_pem, published, accept_unanchored, accept_unsigned)
        if manifest.get("format") != ARCHIVE_FORMAT:
            raise ArchiveProblem(f"unknown archive format {manifest.get('format')!r}")
        if public_key_pem is not None:
            keys = hashchain.load_key_ring(public_key_pem)
        else:
            keys = hashchain.load_key_ring("".join(manifest.get("public_keys", {}).values()).encode())
        signed = check_signature(archive, manifest_bytes, keys, accept_unsigned)
        members = check_members(archive, manifest)
    entries = check_chain(manifest, keys)
    files = check_files(manifest)
    anchors, compared = check_anchors(manifest, entries, keys, published)
    if not anchors and not accept_unanchored:
        raise ArchiveProblem("no daily anchor covers this case, so nothing outside the bureau vouches for its "
                             "history; pass --accept-unanchored to check it anyway")
    case = manifest["case"]
    summary = (f"{case['number'] or case['reference']}: {members} members, {len(entries)} signed chain entries, "
               f"{files} record files, {anchors} anchor(s) verified"
               + (f", {compared} matching the published anchors" if published is not None else ""))
    accepted = [text for missing, text in ((not signed, "manifest signature"), (not anchors, "anchors"))
                if missing]
    if accepted:
        flags = " ".join(flag for missing, flag in ((not signed, "--accept-unsigned"),
                                                    (not anchors, "--accept-unanchored")) if missing)
        return f"OK WITHOUT {' AND '.join(accepted).upper()} (accepted by {flags}): {summary}"
    return f"OK {summary}"


def _verify_v1(archive: zipfile.ZipFile, manifest: dict, public_key_pem: bytes | None,
               published: list[dict] | None, accept_unanchored: bool, accept_unsigned: bool) -> str:
    """A case file exported before signatures, checked with the rules of its time."""
    if not accept_unsigned:
        raise ArchiveProblem(
            "format case-archive@1 (exported before signatures): neither its manifest nor its chain entries "
            "are signed, so its manifest and documents are only as trustworthy as this copy; "
            "pass --accept-unsigned to check it with the rules of its time")
    members = check_members(archive, manifest, own_members=("manifest.json",))
    keys = hashchain.load_key_ring(public_key_pem) if public_key_pem is not None else None
    entries = check_chain(manifest, None)
    files = check_files(manifest)
    anchors, compared = check_anchors(manifest, entries, keys, published, v1=True)
    if not anchors and not accept_unanchored:
        raise ArchiveProblem("no daily anchor covers this case, so nothing outside the bureau vouches for its "
                             "history; pass --accept-unanchored to check it anyway")
    case = manifest["case"]
    summary = (f"{case['number'] or case['reference']}: {members} members, {len(entries)} unsigned chain entries, "
               f"{files} record files, {anchors} anchor(s) verified"
               + (f", {compared} matching the published anchors" if published is not None else ""))
    what, flags = "FORMAT @1, UNSIGNED", "--accept-unsigned"
    if not anchors:
        what, flags = what + ", WITHOUT ANCHORS", flags + " --accept-unanchored"
    return (f"OK {what} (accepted by {flags}): its manifest and documents are only as trustworthy as this "
            f"copy; {summary}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("archive")
    parser.add_argument("--public-key", action="append", default=[],
                        help="the bureau's published public key(s) (PEM; repeat, or one file with several)")
    parser.add_argument("--published", help="anchors saved from the portal (anchors.json) to compare with")
    parser.add_argument("--accept-unanchored", action="store_true",
                        help="accept an archive that no daily anchor covers (exported the day the case closed)")
    parser.add_argument("--accept-unsigned", action="store_true",
                        help="accept an archive without manifest.sig, or one of format @1 (exported before "
                             "signatures), checked with the rules of its time")
    args = parser.parse_args(argv)
    public_key = b"".join(Path(name).read_bytes() for name in args.public_key) if args.public_key else None
    published = json.loads(Path(args.published).read_text(encoding="utf-8"))["anchors"] if args.published else None
    try:
        summary = verify_archive(args.archive, public_key, published, args.accept_unanchored, args.accept_unsigned)
    except ArchiveProblem as problem:
        print(f"BROKEN: {problem}")
        return 1
    print(summary)
    if public_key is None:
        print("note: checked against the keys embedded in the archive; pass --public-key to prove its origin")
    return 0


if __name__ == "__main__":
    sys.exit(main())
