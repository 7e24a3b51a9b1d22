"""Tamper-evident chain: every kind of tampering is caught at the right entry."""

import dataclasses
import hashlib
import json
import os
import stat
from datetime import date

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from enforcement_core.hashchain import (
    GENESIS_HASH,
    ChainEntry,
    add_to_key_ring_file,
    build_chain,
    canonical_bytes,
    generate_key,
    hash_payload,
    key_id,
    key_ring_pem,
    link_hash,
    load_key_ring,
    load_private_key,
    load_public_key,
    make_entry,
    merkle_root,
    public_key_pem,
    sign_anchor,
    sign_document,
    sign_entry,
    verify_anchor,
    verify_chain,
    verify_document,
)


def records(n=6):
    return [
        (
            {
                "case_ref": "杭西市监处罚〔2026〕12号",
                "stage": "investigation",
                "seq": i,
                "note": f"现场检查笔录 {i}",
                "file_sha256": hashlib.sha256(f"video-{i}".encode()).hexdigest(),
            },
            f"2026-03-02T10:0{i}:00+08:00",
            f"officer-{i % 2}",
        )
        for i in range(n)
    ]


CHAIN = build_chain(records())


def tampered_content(entry: ChainEntry, **changes) -> ChainEntry:
    content = {**json.loads(entry.payload), **changes}
    return dataclasses.replace(entry, payload=canonical_bytes(content))


def test_canonical_bytes_are_sorted_compact_utf8():
    assert canonical_bytes({"b": 1, "a": "张三"}) == '{"a":"张三","b":1}'.encode()


@pytest.mark.parametrize("bad", [{"when": date(2026, 1, 1)}, {"x": float("nan")}])
def test_non_json_content_is_refused(bad):
    with pytest.raises(ValueError, match="not canonical JSON"):
        canonical_bytes(bad)


def test_link_hash_matches_documented_encoding():
    expected = hashlib.sha256(f"{GENESIS_HASH}\n{'ab' * 32}\n2026-01-01T00:00:00+08:00\nofficer".encode()).hexdigest()
    assert link_hash(GENESIS_HASH, "ab" * 32, "2026-01-01T00:00:00+08:00", "officer") == expected


def test_actor_with_newline_is_refused():
    with pytest.raises(ValueError, match="actor 'a\\\\nb' contains a newline"):
        link_hash(GENESIS_HASH, "ab" * 32, "2026-01-01T00:00:00+08:00", "a\nb")


def test_intact_chain_verifies():
    result = verify_chain(CHAIN)
    assert result.ok and result.first_broken_seq is None


def test_chain_continues_from_its_last_hash():
    tail = make_entry(CHAIN[-1].entry_hash, {"seq": 99}, "2026-03-03T09:00:00+08:00", "officer-1")
    assert verify_chain([*CHAIN, tail]).ok


def _changed_field(chain):
    chain[3] = tampered_content(chain[3], note="改过的笔录")
    return chain


def _changed_field_and_rehashed(chain):
    entry = tampered_content(chain[3], note="改过的笔录")
    digest = hash_payload(entry.payload)
    chain[3] = dataclasses.replace(
        entry, content_hash=digest, entry_hash=link_hash(entry.prev_hash, digest, entry.timestamp, entry.actor)
    )
    return chain


def _deleted_row(chain):
    del chain[2]
    return chain


def _reordered_rows(chain):
    chain[2], chain[3] = chain[3], chain[2]
    return chain


def _swapped_file_hash(chain):
    a, b = json.loads(chain[1].payload)["file_sha256"], json.loads(chain[4].payload)["file_sha256"]
    chain[1] = tampered_content(chain[1], file_sha256=b)
    chain[4] = tampered_content(chain[4], file_sha256=a)
    return chain


def _changed_actor(chain):
    chain[5] = dataclasses.replace(chain[5], actor="officer-9")
    return chain


def _actor_with_newline(chain):
    chain[2] = dataclasses.replace(chain[2], actor="officer-0\nofficer-1")
    return chain


def _changed_timestamp_of_first(chain):
    chain[0] = dataclasses.replace(chain[0], timestamp="2026-03-01T10:00:00+08:00")
    return chain


def _deleted_first_row(chain):
    del chain[0]
    return chain


@pytest.mark.parametrize(
    ("tamper", "seq", "reason"),
    [
        (_changed_field, 4, "entry 4: content does not match its content hash"),
        (_changed_field_and_rehashed, 5, "entry 5: prev_hash does not match the hash of entry 4"),
        (_deleted_row, 3, "entry 3: prev_hash does not match the hash of entry 2"),
        (_reordered_rows, 3, "entry 3: prev_hash does not match the hash of entry 2"),
        (_swapped_file_hash, 2, "entry 2: content does not match its content hash"),
        (_changed_actor, 6, "entry 6: entry hash does not match"),
        (_actor_with_newline, 3, "entry 3: entry hash does not match"),
        (_changed_timestamp_of_first, 1, "entry 1: entry hash does not match"),
        (_deleted_first_row, 1, "entry 1: prev_hash does not match the genesis hash"),
    ],
)
def test_tampering_is_detected_at_the_right_entry(tamper, seq, reason):
    """Every message uses the 1-based sequence number the user sees on the case."""
    result = verify_chain(tamper(list(CHAIN)))
    assert not result.ok
    assert result.first_broken_seq == seq
    assert reason in result.reason


def test_empty_chain_verifies_and_anchor_of_it_must_be_genesis():
    assert verify_chain([]).ok
    assert not verify_chain([], expected_last_hash=CHAIN[-1].entry_hash).ok


def test_truncated_tail_is_caught_by_the_anchored_last_hash():
    assert verify_chain(CHAIN[:-1]).ok  # the chain alone cannot see it
    result = verify_chain(CHAIN[:-1], expected_last_hash=CHAIN[-1].entry_hash)
    assert not result.ok and result.first_broken_seq == 6 and result.reason.startswith("entry 6:")


def _h(i):
    return hashlib.sha256(str(i).encode()).hexdigest()


def _node(a, b):
    return hashlib.sha256(bytes.fromhex(a) + bytes.fromhex(b)).hexdigest()


@pytest.mark.parametrize(
    ("leaves", "expected"),
    [
        ([_h(0)], _h(0)),
        ([_h(0), _h(1)], _node(_h(0), _h(1))),
        ([_h(0), _h(1), _h(2)], _node(_node(_h(0), _h(1)), _node(_h(2), _h(2)))),  # odd: last duplicated
        (
            [_h(i) for i in range(5)],
            _node(
                _node(_node(_h(0), _h(1)), _node(_h(2), _h(3))),
                _node(_node(_h(4), _h(4)), _node(_h(4), _h(4))),
            ),
        ),
    ],
)
def test_merkle_root(leaves, expected):
    assert merkle_root(leaves) == expected


@pytest.mark.parametrize(("leaves", "message"), [([], "no hashes"), (["zz"], "must be hex")])
def test_merkle_root_refuses_bad_input(leaves, message):
    with pytest.raises(ValueError, match=message):
        merkle_root(leaves)


def ring(*private_keys):
    return {key_id(k.public_key()): k.public_key() for k in private_keys}


@pytest.fixture()
def key(tmp_path):
    return generate_key(tmp_path / "anchor.pem"), tmp_path / "anchor.pem"


def test_generate_key_writes_a_private_0600_file_and_will_not_overwrite(key):
    _, path = key
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert b"PRIVATE KEY" in path.read_bytes()
    with pytest.raises(FileExistsError, match="already exists"):
        generate_key(path)


def test_anchor_round_trip(key):
    private, path = key
    public = load_public_key(public_key_pem(load_private_key(path)))
    anchor = sign_anchor(private, CHAIN, "2026-03-03T00:00:00+08:00")
    assert anchor.leaf_count == 6 and anchor.last_entry_hash == CHAIN[-1].entry_hash
    assert anchor.key_id == key_id(public)
    assert verify_anchor({key_id(public): public}, anchor, CHAIN)


def test_anchor_detects_forgery_and_rewritten_chains(key):
    private, path = key
    public = ring(private)
    anchor = sign_anchor(private, CHAIN, "2026-03-03T00:00:00+08:00")
    assert not verify_anchor(public, dataclasses.replace(anchor, leaf_count=7))  # signed fields changed
    assert not verify_anchor(public, dataclasses.replace(anchor, signature="00" * 64))
    assert not verify_anchor(public, dataclasses.replace(anchor, signature="not hex"))
    assert not verify_anchor(ring(generate_key(path.with_name("other.pem"))), anchor)
    # A consistently rebuilt chain verifies on its own but not against the anchor.
    rebuilt = build_chain([(dict(r[0], note="伪造"), r[1], r[2]) for r in records()])
    assert verify_chain(rebuilt).ok
    assert not verify_anchor(public, anchor, rebuilt)
    assert not verify_anchor(public, anchor, CHAIN[:-1])


def test_load_private_key_refuses_other_key_types(tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    path = tmp_path / "ec.pem"
    path.write_bytes(
        ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    with pytest.raises(ValueError, match="not Ed25519"):
        load_private_key(path)


def test_cannot_anchor_empty_chain(key):
    with pytest.raises(ValueError, match="empty chain"):
        sign_anchor(key[0], [], "2026-03-03T00:00:00+08:00")


# ----- per-entry signatures -----

BUREAU = Ed25519PrivateKey.generate()
CASE = "CASE-2026-0012"
SIGNED = build_chain(records(), signer=BUREAU, chain_id=CASE)


def test_signed_chain_verifies_with_the_public_key_alone():
    result = verify_chain(SIGNED, keys=load_key_ring(key_ring_pem(ring(BUREAU))), chain_id=CASE)
    assert result.ok, result.reason
    assert {entry.key_id for entry in SIGNED} == {key_id(BUREAU.public_key())}


def test_entry_appended_with_the_public_algorithm_fails_at_once():
    """The attack: make_entry after the last hash, no anchor needed to see it."""
    forged = make_entry(SIGNED[-1].entry_hash, {"note": "伪造笔录"}, "2026-03-03T09:00:00+08:00", "officer-1")
    assert verify_chain([*SIGNED, forged]).ok  # the hashes alone cannot tell
    result = verify_chain([*SIGNED, forged], keys=ring(BUREAU), chain_id=CASE)
    assert (result.ok, result.first_broken_seq, result.problem) == (False, 7, "unsigned")
    assert result.reason.startswith("entry 7: has no signature")


def test_entry_signed_with_another_key_or_copied_from_another_chain_fails():
    stranger = Ed25519PrivateKey.generate()
    tail = sign_entry(stranger, CASE, 7, make_entry(SIGNED[-1].entry_hash, {"n": 7}, "2026-03-03T09:00:00+08:00", "x"))
    result = verify_chain([*SIGNED, tail], keys=ring(BUREAU), chain_id=CASE)
    assert (result.first_broken_seq, result.problem, result.key_id) == (7, "unknown_key", key_id(stranger.public_key()))
    # The signature names its chain and position: the same entries do not pass as another case's.
    result = verify_chain(SIGNED, keys=ring(BUREAU), chain_id="CASE-2026-0013")
    assert (result.first_broken_seq, result.problem) == (1, "signature")


def test_rewritten_tail_names_its_first_entry():
    rewritten = SIGNED[:3] + build_chain(records()[3:], genesis=SIGNED[2].entry_hash)
    result = verify_chain(rewritten, keys=ring(BUREAU), chain_id=CASE)
    assert (result.ok, result.first_broken_seq) == (False, 4)


def test_damaged_signature_vouched_for_by_a_later_one_is_found_by_the_full_walk():
    damaged = list(SIGNED)
    damaged[1] = dataclasses.replace(damaged[1], signature="00" * 64)
    assert verify_chain(damaged, keys=ring(BUREAU), chain_id=CASE).ok  # entry 6's signature covers entry 2
    result = verify_chain(damaged, keys=ring(BUREAU), chain_id=CASE, every_signature=True)
    assert (result.first_broken_seq, result.problem) == (2, "signature")
    del damaged[4]  # and it is named before a later break
    result = verify_chain(damaged, keys=ring(BUREAU), chain_id=CASE, every_signature=True)
    assert (result.first_broken_seq, result.problem) == (2, "signature")


def test_key_rotation_keeps_old_entries_verifiable(tmp_path):
    """Entries signed before the rotation verify with the retired key's public half in the ring."""
    new = Ed25519PrivateKey.generate()
    tail = build_chain(records(9)[6:], genesis=SIGNED[-1].entry_hash)
    rotated = SIGNED + [sign_entry(new, CASE, seq, entry) for seq, entry in enumerate(tail, start=7)]
    ring_file = tmp_path / "ring.pem"
    add_to_key_ring_file(ring_file, BUREAU.public_key())
    add_to_key_ring_file(ring_file, new.public_key())
    add_to_key_ring_file(ring_file, new.public_key())  # appended once
    keys = load_key_ring(ring_file.read_bytes())
    assert sorted(keys) == sorted(ring(BUREAU, new))
    assert verify_chain(rotated, keys=keys, chain_id=CASE).ok
    # Without the retired key, the old entries can no longer be told from forgeries.
    result = verify_chain(SIGNED, keys=ring(new), chain_id=CASE)
    assert (result.first_broken_seq, result.problem) == (1, "unknown_key")


def test_document_signature_covers_every_byte_and_its_kind():
    manifest = canonical_bytes({"case": {"party": "城关县惠民超市有限公司"}, "members": []})
    signed = sign_document(BUREAU, "case_archive_manifest", manifest)
    assert verify_document(ring(BUREAU), "case_archive_manifest", manifest, signed)
    assert not verify_document(ring(BUREAU), "case_archive_manifest", manifest.replace("惠民".encode(), "别家".encode()), signed)
    assert not verify_document(ring(BUREAU), "another_kind", manifest, signed)
    assert not verify_document(ring(Ed25519PrivateKey.generate()), "case_archive_manifest", manifest, signed)
