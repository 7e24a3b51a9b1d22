"""Tamper-evident record chain, per-entry signatures, Merkle roots and signed anchors.

Full-process records must be "不能删改": each record's canonical content is
hashed, and each entry's hash covers the previous entry's hash, the content
hash, the timestamp and the actor. Changing, deleting or reordering any
entry therefore breaks the chain at that entry, and :func:`verify_chain`
names the first broken one by its 1-based sequence number.

The hashes use no secret, so anyone can compute a valid-looking entry.
Each entry therefore also carries an Ed25519 signature of the bureau's key
(held outside the database) over its position and hash: an entry written by
anything but the product fails at once. Because an entry's hash covers every
entry before it, the signature of the last entry vouches for the whole chain;
verification checks that one on the hot path and walks the others only to
name the first forged entry. Rewriting history with the key itself is only
caught by an anchor: a Merkle root over chain heads, signed and published,
compared with a copy taken earlier.

Keys are named by a key id (the start of the SHA-256 of the raw public key);
entries, anchors and archive manifests carry it, and verifiers take a key
ring (key id -> public key) so that entries signed before a key rotation stay
verifiable with the retired key's public half.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

GENESIS_HASH = "0" * 64
_FIELD_SEPARATOR = "\n"
KEY_ID_LENGTH = 16
#: The fields of a published anchor (portal, archive) that a later copy must repeat exactly.
PUBLISHED_ANCHOR_FIELDS = ("merkle_root", "leaf_count", "last_entry_hash", "anchored_at", "key_id", "signature")
PEM_BEGIN = b"-----BEGIN PUBLIC KEY-----"


def canonical_bytes(entry: Mapping[str, Any]) -> bytes:
    """Deterministic JSON: sorted keys, UTF-8, no whitespace, no NaN.

    Only JSON types are accepted; dates and Decimals must be converted by
    the caller (ISO string, string) so that every verifier, in any
    language, reproduces the same bytes.
    """
    try:
        text = json.dumps(
            entry, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
        )
    except (TypeError, ValueError) as exc:
        raise ValueError(f"record content is not canonical JSON: {exc}") from exc
    return text.encode("utf-8")


def hash_payload(payload: bytes) -> str:
    """SHA-256 hex of a canonical payload (the content hash of an entry)."""
    return hashlib.sha256(payload).hexdigest()


def _check_link_field(name: str, value: str) -> None:
    if _FIELD_SEPARATOR in value:
        raise ValueError(f"{name} {value!r} contains a newline, which separates link fields")


def link_hash(prev_hash: str, content_hash: str, timestamp_iso: str, actor: str) -> str:
    """SHA-256 hex of ``prev_hash \\n content_hash \\n timestamp \\n actor`` in UTF-8.

    The fields are newline-separated; hashes and ISO timestamps never
    contain one and actors are refused if they do, so the encoding is
    unambiguous.
    """
    _check_link_field("timestamp", timestamp_iso)
    _check_link_field("actor", actor)
    return _link(prev_hash, content_hash, timestamp_iso, actor)


def _link(prev_hash: str, content_hash: str, timestamp_iso: str, actor: str) -> str:
    """:func:`link_hash` without the newline check, for verifying stored (possibly tampered) entries."""
    return hashlib.sha256(f"{prev_hash}\n{content_hash}\n{timestamp_iso}\n{actor}".encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class ChainEntry:
    """One stored link. ``payload`` is the canonical content exactly as hashed;
    ``signature`` is the hex Ed25519 signature of :func:`entry_signed_bytes`
    by the key named ``key_id``."""

    payload: bytes
    content_hash: str
    timestamp: str
    actor: str
    prev_hash: str
    entry_hash: str
    key_id: str = ""
    signature: str = ""


# ----- keys -----


def key_id(public_key: Ed25519PublicKey) -> str:
    """The name of a key on entries, anchors and manifests: the start of the SHA-256 of its raw 32 bytes."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:KEY_ID_LENGTH]


KeyRing = Mapping[str, Ed25519PublicKey]


def load_key_ring(pem: bytes) -> dict[str, Ed25519PublicKey]:
    """Every Ed25519 public key of a PEM bundle (the published key ring), by key id."""
    ring = {}
    for block in pem.split(PEM_BEGIN)[1:]:
        key = load_public_key(PEM_BEGIN + block)
        ring[key_id(key)] = key
    return ring


def key_ring_pem(ring: KeyRing) -> bytes:
    """The key ring as a PEM bundle, in key id order."""
    return b"".join(
        ring[kid].public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        for kid in sorted(ring)
    )


def add_to_key_ring_file(path: str | os.PathLike, public_key: Ed25519PublicKey) -> None:
    """Append ``public_key`` to the key ring file at ``path`` unless it is there.

    Keys are only ever appended: a retired key's public half must stay so
    that what it signed stays verifiable.
    """
    try:
        with open(path, "rb") as handle:
            pem = handle.read()
    except FileNotFoundError:
        pem = b""
    if key_id(public_key) in load_key_ring(pem):
        return
    with open(path, "ab") as handle:
        handle.write(public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))


def _signature_ok(ring: KeyRing, kid: str, signature: str, message: bytes) -> bool:
    public_key = ring.get(kid)
    if public_key is None:
        return False
    try:
        public_key.verify(bytes.fromhex(signature), message)
    except (InvalidSignature, ValueError):
        return False
    return True


# ----- entries -----


def entry_signed_bytes(chain_id: str, seq: int, entry_hash: str, kid: str) -> bytes:
    """What an entry's signature covers: which chain, which position, which hash, which key."""
    return canonical_bytes({"type": "chain_entry", "chain": chain_id, "seq": seq,
                            "entry_hash": entry_hash, "key_id": kid})


def sign_entry(private_key: Ed25519PrivateKey, chain_id: str, seq: int, entry: ChainEntry) -> ChainEntry:
    """``entry`` at 1-based position ``seq`` of chain ``chain_id``, signed."""
    kid = key_id(private_key.public_key())
    signature = private_key.sign(entry_signed_bytes(chain_id, seq, entry.entry_hash, kid)).hex()
    return dataclasses.replace(entry, key_id=kid, signature=signature)


def make_entry(prev_hash: str, content: Mapping[str, Any], timestamp_iso: str, actor: str) -> ChainEntry:
    """The (unsigned) entry that appends ``content`` after the entry whose hash is ``prev_hash``."""
    payload = canonical_bytes(content)
    digest = hash_payload(payload)
    return ChainEntry(
        payload=payload,
        content_hash=digest,
        timestamp=timestamp_iso,
        actor=actor,
        prev_hash=prev_hash,
        entry_hash=link_hash(prev_hash, digest, timestamp_iso, actor),
    )


def build_chain(
    records: Iterable[tuple[Mapping[str, Any], str, str]],
    genesis: str = GENESIS_HASH,
    signer: Ed25519PrivateKey | None = None,
    chain_id: str = "",
) -> list[ChainEntry]:
    """Chain ``(content, timestamp_iso, actor)`` records in the given order,
    each entry signed by ``signer`` if one is given."""
    chain = []
    prev = genesis
    for seq, (content, timestamp_iso, actor) in enumerate(records, start=1):
        entry = make_entry(prev, content, timestamp_iso, actor)
        if signer is not None:
            entry = sign_entry(signer, chain_id, seq, entry)
        chain.append(entry)
        prev = entry.entry_hash
    return chain


@dataclass(frozen=True)
class VerifyResult:
    """``first_broken_seq`` is the 1-based sequence number users see on the
    case. ``problem`` names what is wrong for callers that word it
    themselves (genesis, link, content, hash, unsigned, unknown_key,
    signature, short); ``reason`` is the English wording."""

    ok: bool
    first_broken_seq: int | None
    reason: str
    problem: str = ""
    key_id: str = ""


def verify_chain(
    entries: Sequence[ChainEntry],
    genesis: str = GENESIS_HASH,
    expected_last_hash: str | None = None,
    keys: KeyRing | None = None,
    chain_id: str = "",
    every_signature: bool = False,
) -> VerifyResult:
    """Recompute every hash and report the first entry that does not match.

    ``expected_last_hash`` (from a signed anchor) also catches entries cut
    off the end, which the chain alone cannot see. With ``keys`` (the
    bureau's key ring) the entries must be signed by one of them; an entry
    computed with the public algorithm alone fails. The last signature
    vouches for the entries before it (see :func:`_first_unsigned`);
    ``every_signature`` also checks each earlier one, which only adds
    finding a damaged signature on an entry whose content is vouched for,
    at one Ed25519 verification per entry.
    """
    if _chain_intact(entries, genesis):
        if keys is not None:
            forged = _first_unsigned(entries, len(entries), keys, chain_id, every_signature)
            if forged is not None:
                return forged
        last = entries[-1].entry_hash if entries else genesis
        if expected_last_hash is None or last == expected_last_hash:
            return VerifyResult(True, None, f"{len(entries)} entries verified")
        return VerifyResult(
            False,
            len(entries) + 1,
            f"entry {len(entries) + 1}: chain of {len(entries)} entries does not end with the anchored hash "
            f"{expected_last_hash} (entries missing at the end?)",
            "short",
        )
    broken = _locate_break(entries, genesis)
    if keys is not None:
        # The entries before the break are linked; one of them may still be forged.
        forged = _first_unsigned(entries, broken.first_broken_seq - 1, keys, chain_id, every_signature)
        if forged is not None:
            return forged
    return broken


def _first_unsigned(
    entries: Sequence[ChainEntry], count: int, keys: KeyRing, chain_id: str, every_signature: bool
) -> VerifyResult | None:
    """The first of the first ``count`` (linked) entries whose signature fails, or None.

    An entry's hash covers all entries before it, and the application signs
    an entry only after checking the signature of the one before (see
    ``enforcement.chain.entry._append``), so a valid signature on entry n
    vouches for entries 1..n: checking the last one is enough when all is
    well (one Ed25519 verification per chain instead of one per entry).
    Otherwise walk back to the last valid signature; every entry after it
    is not the bureau's, and the first of them is named.
    """
    if every_signature:
        seq = next((seq for seq in range(1, count + 1)
                    if not _entry_signed(entries[seq - 1], seq, keys, chain_id)), None)
        if seq is None:
            return None
    else:
        if count == 0 or _entry_signed(entries[count - 1], count, keys, chain_id):
            return None
        seq = count
        while seq > 1 and not _entry_signed(entries[seq - 2], seq - 1, keys, chain_id):
            seq -= 1
    entry = entries[seq - 1]
    if not entry.signature:
        return VerifyResult(False, seq, f"entry {seq}: has no signature (not written by the application)",
                            "unsigned")
    if entry.key_id not in keys:
        return VerifyResult(False, seq, f"entry {seq}: signed with key {entry.key_id}, which is not in the "
                                        f"bureau's key ring", "unknown_key", entry.key_id)
    return VerifyResult(False, seq, f"entry {seq}: signature does not verify with the bureau's key "
                                    f"(entry forged or changed)", "signature", entry.key_id)


def entry_signature_ok(keys: KeyRing, chain_id: str, seq: int, entry_hash: str, kid: str, signature: str) -> bool:
    """True if ``signature`` is the signature of key ``kid`` of ``keys`` over entry ``seq`` of ``chain_id``."""
    return _signature_ok(keys, kid, signature, entry_signed_bytes(chain_id, seq, entry_hash, kid))


def _entry_signed(entry: ChainEntry, seq: int, keys: KeyRing, chain_id: str) -> bool:
    return entry_signature_ok(keys, chain_id, seq, entry.entry_hash, entry.key_id, entry.signature)


def _chain_intact(entries: Sequence[ChainEntry], prev: str) -> bool:
    """The hot path of the nightly audit (millions of entries): a yes/no answer.

    It inlines :func:`link_hash` and keeps no index, which makes it about
    10% faster than :func:`_locate_break`; that slower, explaining walk only
    runs once something is already known to be wrong. Both check the same
    three things per entry. Newlines in actors and timestamps were refused
    when the entries were made.
    """
    sha256 = hashlib.sha256
    for entry in entries:
        digest = entry.content_hash
        if entry.prev_hash != prev or sha256(entry.payload).hexdigest() != digest:
            return False
        prev = sha256(f"{prev}\n{digest}\n{entry.timestamp}\n{entry.actor}".encode()).hexdigest()
        if prev != entry.entry_hash:
            return False
    return True


def _locate_break(entries: Sequence[ChainEntry], genesis: str) -> VerifyResult:
    """The first broken entry (1-based) and what is wrong with it."""
    prev = genesis
    for seq, entry in enumerate(entries, start=1):
        if entry.prev_hash != prev:
            if seq == 1:
                return VerifyResult(False, 1, "entry 1: prev_hash does not match the genesis hash", "genesis")
            return VerifyResult(
                False,
                seq,
                f"entry {seq}: prev_hash does not match the hash of entry {seq - 1} "
                f"(entry removed, inserted or reordered)",
                "link",
            )
        if hash_payload(entry.payload) != entry.content_hash:
            return VerifyResult(False, seq, f"entry {seq}: content does not match its content hash", "content")
        if _link(prev, entry.content_hash, entry.timestamp, entry.actor) != entry.entry_hash:
            return VerifyResult(
                False,
                seq,
                f"entry {seq}: entry hash does not match its content hash, timestamp and actor",
                "hash",
            )
        prev = entry.entry_hash
    raise AssertionError("_locate_break called on an intact chain")


def merkle_root(hashes: Sequence[str]) -> str:
    """Merkle root (SHA-256 hex) over hex leaf hashes, in order.

    Parents are SHA-256 of the two children's raw 32-byte digests. On a
    level with an odd number of nodes the last one is paired with itself
    (Bitcoin style). That makes [a, b, c] and [a, b, c, c] share a root, so
    anchors also sign the leaf count.
    """
    if not hashes:
        raise ValueError("cannot compute a Merkle root of no hashes")
    try:
        level = [bytes.fromhex(h) for h in hashes]
    except ValueError as exc:
        raise ValueError(f"Merkle leaves must be hex hashes: {exc}") from exc
    sha256 = hashlib.sha256
    while len(level) > 1:
        if len(level) % 2:
            level.append(level[-1])
        level = [sha256(level[i] + level[i + 1]).digest() for i in range(0, len(level), 2)]
    return level[0].hex()


@dataclass(frozen=True)
class Anchor:
    """A signed statement "these ``leaf_count`` entries, ending in ``last_entry_hash``, have this root"."""

    merkle_root: str
    leaf_count: int
    last_entry_hash: str
    anchored_at: str
    signature: str  # hex Ed25519 signature over :meth:`signed_bytes`
    key_id: str = ""

    def signed_bytes(self) -> bytes:
        return canonical_bytes(
            {
                "type": "anchor",
                "anchored_at": self.anchored_at,
                "key_id": self.key_id,
                "last_entry_hash": self.last_entry_hash,
                "leaf_count": self.leaf_count,
                "merkle_root": self.merkle_root,
            }
        )

    def signed_bytes_v1(self) -> bytes:
        """What an anchor signed before key ids (anchors of case-archive@1 and
        of databases from before signed entries): four fields, no type."""
        return canonical_bytes(
            {
                "anchored_at": self.anchored_at,
                "last_entry_hash": self.last_entry_hash,
                "leaf_count": self.leaf_count,
                "merkle_root": self.merkle_root,
            }
        )


def verify_anchor_v1(public_key: Ed25519PublicKey, anchor: Anchor) -> bool:
    """True if ``anchor`` carries ``public_key``'s signature as anchors were signed before key ids."""
    try:
        public_key.verify(bytes.fromhex(anchor.signature), anchor.signed_bytes_v1())
    except (InvalidSignature, ValueError):
        return False
    return True


def generate_key(path: str | os.PathLike) -> Ed25519PrivateKey:
    """Create an Ed25519 private key as unencrypted PKCS#8 PEM at ``path``, mode 0600.

    Refuses to overwrite: replacing a bureau's anchor key would make all
    earlier anchors unverifiable with the current key.
    """
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise FileExistsError(f"key file {os.fspath(path)} already exists; not overwriting") from exc
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return key


def load_private_key(path: str | os.PathLike) -> Ed25519PrivateKey:
    """Load an Ed25519 private key from a PEM file."""
    with open(path, "rb") as handle:
        key = serialization.load_pem_private_key(handle.read(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"key file {os.fspath(path)} holds a {type(key).__name__}, not Ed25519")
    return key


def public_key_pem(private_key: Ed25519PrivateKey) -> bytes:
    """The public half of ``private_key`` as SubjectPublicKeyInfo PEM, for publication."""
    return private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    """Load a published Ed25519 public key."""
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError(f"public key is a {type(key).__name__}, not Ed25519")
    return key


def sign_anchor(private_key: Ed25519PrivateKey, entries: Sequence[ChainEntry], anchored_at: str) -> Anchor:
    """Sign the Merkle root, count and last hash of ``entries``."""
    if not entries:
        raise ValueError("cannot anchor an empty chain")
    return sign_leaves(private_key, [entry.entry_hash for entry in entries], anchored_at)


def sign_leaves(private_key: Ed25519PrivateKey, leaves: Sequence[str], anchored_at: str) -> Anchor:
    """Sign the Merkle root, count and last of ``leaves`` (hex hashes, e.g. the day's chain heads)."""
    unsigned = Anchor(
        merkle_root=merkle_root(leaves),
        leaf_count=len(leaves),
        last_entry_hash=leaves[-1],
        anchored_at=anchored_at,
        signature="",
        key_id=key_id(private_key.public_key()),
    )
    signature = private_key.sign(unsigned.signed_bytes()).hex()
    return dataclasses.replace(unsigned, signature=signature)


def verify_anchor(keys: KeyRing, anchor: Anchor, entries: Sequence[ChainEntry] | None = None) -> bool:
    """True if ``anchor`` is signed by the key of ``keys`` it names and, given ``entries``, matches them.

    Checking the entries against the anchor covers what the chain alone
    cannot: a tail rewritten consistently, or entries cut off the end.
    """
    if not _signature_ok(keys, anchor.key_id, anchor.signature, anchor.signed_bytes()):
        return False
    if entries is None:
        return True
    return (
        len(entries) == anchor.leaf_count
        and entries[-1].entry_hash == anchor.last_entry_hash
        and merkle_root([entry.entry_hash for entry in entries]) == anchor.merkle_root
    )


# ----- documents (the case file's manifest) -----


def _document_signed_bytes(kind: str, data: bytes, kid: str) -> bytes:
    return canonical_bytes({"type": kind, "sha256": hashlib.sha256(data).hexdigest(), "key_id": kid})


def sign_document(private_key: Ed25519PrivateKey, kind: str, data: bytes) -> dict[str, str]:
    """A detached signature of ``data`` (e.g. an archive's manifest.json) as ``{key_id, signature}``.
    ``kind`` keeps a signature made for one kind of document from passing for another."""
    kid = key_id(private_key.public_key())
    return {"key_id": kid, "signature": private_key.sign(_document_signed_bytes(kind, data, kid)).hex()}


def verify_document(keys: KeyRing, kind: str, data: bytes, signed: Mapping[str, str]) -> bool:
    kid = signed.get("key_id", "")
    return _signature_ok(keys, kid, signed.get("signature", ""), _document_signed_bytes(kind, data, kid))
