"""The published draw (enforcement-draw@1): anyone re-runs it from the JSON alone."""

import copy
import dataclasses
import hashlib
import http.server
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from enforcement_core.random_draw import (
    DrawError,
    DrawInputs,
    commitment_of,
    draw,
    draw_document,
    read_draw_document,
    snapshot_hash,
    verify_draw_document,
)

VERIFY_DRAW = Path(__file__).resolve().parents[2] / "scripts" / "verify-draw"
PARTIES = tuple(f"9133010{i:011d}" for i in range(200))
INSPECTORS = tuple(f"浙杭{i:03d}" for i in range(12))
SECRET = "5f0c8e2d7a1b4c93e6d2f8a0b7c1e4d9a3f6b2c8e0d5a7f1c9b3e6d0a2f4c8b1"


def inputs(**changes):
    base = DrawInputs(
        plan_id="浙杭西市监抽〔2026〕3号",
        published_at="2026-04-01T09:30:00+08:00",
        public_value="体彩排列三 2026088期 719",
        party_ids=PARTIES[::-1],
        inspector_ids=INSPECTORS,
        ratio="0.05",
        recusals=frozenset({(INSPECTORS[0], PARTIES[7]), (INSPECTORS[3], PARTIES[150])}),
    )
    return dataclasses.replace(base, **changes)


def published(**changes):
    """The document as the public page serves it: through JSON text."""
    given = inputs(**changes)
    return json.loads(json.dumps(draw_document(given, draw(given)), ensure_ascii=False))


def test_document_holds_everything_needed_to_rerun_the_draw():
    document = published()
    assert document["format"] == "enforcement-draw@1"
    assert document["party_ids"] == sorted(PARTIES)
    assert document["ratio"] == "0.05" and document["inspectors_per_party"] == 2
    assert document["recusals"] == [
        {"inspector": INSPECTORS[0], "party": PARTIES[7]},
        {"inspector": INSPECTORS[3], "party": PARTIES[150]},
    ]
    assert document["party_snapshot_sha256"] == snapshot_hash(PARTIES)
    assert document["commitment"] is None
    assert len(document["result"]["assignments"]) == 10
    assert read_draw_document(document) == (inputs(party_ids=PARTIES), draw(inputs()))
    assert verify_draw_document(document)[2] == []


def test_snapshot_hash_is_sha256_of_sorted_ids_one_per_line():
    assert snapshot_hash(["b", "a", "浙1"]) == hashlib.sha256("a\nb\n浙1\n".encode()).hexdigest()
    assert snapshot_hash([]) == hashlib.sha256(b"").hexdigest()
    with pytest.raises(DrawError, match="line break"):
        snapshot_hash(["a\nb"])


def test_one_inspector_swapped_fails_naming_the_position():
    document = published()
    row = document["result"]["assignments"][3]
    row["inspectors"][1] = next(i for i in INSPECTORS if i not in row["inspectors"])
    problems = verify_draw_document(document)[2]
    assert len(problems) == 1 and problems[0].startswith("draw position 3: published"), problems


def test_a_party_dropped_from_the_register_after_publication_changes_its_snapshot():
    document = published()
    document["party_ids"].remove(document["result"]["assignments"][0]["party"])
    problems = verify_draw_document(document)[2]
    assert any(p.startswith("party_snapshot_sha256 ") and "199 party ids listed" in p for p in problems), problems


def test_commitment_opened_by_the_secret_verifies():
    document = published(public_value=SECRET, commitment=commitment_of(SECRET))
    assert document["commitment"] == hashlib.sha256(SECRET.encode()).hexdigest()
    assert verify_draw_document(document)[2] == []


def test_a_wrong_secret_is_refused_at_the_draw_and_at_verification():
    committed = inputs(commitment=commitment_of(SECRET))
    with pytest.raises(DrawError, match="does not match the commitment"):
        draw(committed)
    # A document whose result was computed from another secret than the one committed to.
    other = dataclasses.replace(committed, public_value=SECRET[:-1] + "0")
    document = json.loads(json.dumps(draw_document(other, draw(dataclasses.replace(other, commitment="")))))
    problems = verify_draw_document(document)[2]
    assert problems == [
        f"public value {other.public_value!r} does not match the commitment {commitment_of(SECRET)} "
        f"published with the plan (its SHA-256 is {commitment_of(other.public_value)})"
    ]


def test_a_recused_inspector_is_never_drawn_for_that_party():
    # Every inspector but the last two has declared a conflict with every party.
    recusals = frozenset((i, p) for i in INSPECTORS[:-2] for p in PARTIES)
    document = published(recusals=recusals, ratio="1")
    teams = {row["party"]: set(row["inspectors"]) for row in document["result"]["assignments"]}
    assert len(teams) == len(PARTIES)
    assert all(team == set(INSPECTORS[-2:]) for team in teams.values())
    assert verify_draw_document(document)[2] == []


def test_too_few_eligible_inspectors_is_refused_naming_the_party():
    recusals = frozenset((i, PARTIES[k]) for i in INSPECTORS[1:] for k in range(200))
    with pytest.raises(DrawError, match=r"party 9133010\d{11}: only 1 inspector\(s\) without a recusal, 2 needed"):
        draw(inputs(recusals=recusals))
    # The same inputs in a published document: verification says so instead of crashing.
    document = published()
    document["recusals"] = [{"inspector": i, "party": p} for i, p in sorted(recusals)]
    problems = verify_draw_document(document)[2]
    assert len(problems) == 1 and "the published inputs allow no draw: party" in problems[0], problems


def _drop(key):
    return lambda d: d.pop(key)


def _set(path, value):
    def change(document):
        target = document
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
    return change


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (_set(["format"], "enforcement-draw@2"), r"format: 'enforcement-draw@2' is not 'enforcement-draw@1'"),
        (_drop("format"), r"format: None is not"),
        (_drop("ratio"), r"document: key 'ratio' is missing"),
        (_set(["ratoi"], "0.1"), r"document: unknown key 'ratoi'"),
        (_set(["party_ids"], "P1,P2"), r"party_ids: must be a list of strings, not str"),
        (_set(["party_ids", 2], 17), r"party_ids\[2\]: must be a string, not int"),
        (_set(["party_ids", 2], PARTIES[0]), r"party_ids lists \['913301000000000000'\] more than once"),
        (_set(["inspectors_per_party"], "2"), r"inspectors_per_party: must be an integer, not str"),
        (_set(["inspectors_per_party"], True), r"inspectors_per_party: must be an integer, not bool"),
        (_set(["ratio"], "0"), r"ratio '0' must be greater than 0 and at most 1"),
        (_set(["commitment"], "abc"), r"commitment: must be a SHA-256 digest"),
        (_set(["party_snapshot_sha256"], "X" * 64), r"party_snapshot_sha256: must be a SHA-256 digest"),
        (_set(["recusals", 1], {"inspector": "浙杭001"}), r"recusals\[1\]: key 'party' is missing"),
        (_set(["result", "seed"], None), r"result.seed: must be a SHA-256 digest"),
        (_set(["result", "assignments", 4, "inspectors"], "浙杭001"), r"result.assignments\[4\].inspectors: must be a list"),
        (_set(["result", "assignments", 0, "team"], []), r"result.assignments\[0\]: unknown key 'team'"),
        (_set(["result", "party_count"], 10.0), r"result.party_count: must be an integer, not float"),
    ],
)
def test_a_malformed_document_is_refused_naming_the_key(tamper, message):
    document = published()
    tamper(document)
    with pytest.raises(DrawError, match=message):
        read_draw_document(document)


def test_a_document_that_is_not_an_object_is_refused():
    with pytest.raises(DrawError, match="must be a JSON object, not list"):
        read_draw_document([published()])


# ----------------------------------------------------------------------
# scripts/verify-draw, run as anyone would: plain Python, no Odoo, no packages
# ----------------------------------------------------------------------


def run_cli(*args, stdin=None):
    # -I -S: no site-packages (so no Odoo, no stdnum), no PYTHONPATH, no user site.
    return subprocess.run(
        [sys.executable, "-I", "-S", str(VERIFY_DRAW), *args],
        input=stdin, capture_output=True, text=True, timeout=120, check=False,
    )


@pytest.fixture()
def document_file(tmp_path):
    def write(document):
        path = tmp_path / "draw.json"
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        return str(path)
    return write


def test_cli_verifies_a_published_draw(document_file):
    document = published()
    done = run_cli(document_file(document))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[0] == f"verified: 10 parties, 12 inspectors; seed {document['result']['seed']}"
    assert "2 recusal(s) honoured" in done.stdout


def test_cli_with_the_snapshots_published_before_the_draw(document_file):
    path = document_file(published())
    ok = run_cli(path, "--party-snapshot", snapshot_hash(PARTIES), "--inspector-snapshot", snapshot_hash(INSPECTORS))
    assert ok.returncode == 0, ok.stdout
    # The bureau removed a party from the register after publishing its snapshot, and
    # drew again from the smaller register: the document is consistent in itself.
    smaller = inputs(party_ids=PARTIES[1:])
    path = document_file(json.loads(json.dumps(draw_document(smaller, draw(smaller)))))
    broken = run_cli(path, "--party-snapshot", snapshot_hash(PARTIES))
    assert broken.returncode == 1
    assert "BROKEN: party_snapshot_sha256" in broken.stdout
    assert "the register changed before the draw" in broken.stdout


def test_cli_tampered_document_fails_naming_the_position(document_file):
    document = published()
    row = document["result"]["assignments"][6]
    row["inspectors"][0] = next(i for i in INSPECTORS if i not in row["inspectors"])
    done = run_cli(document_file(document))
    assert done.returncode == 1
    assert done.stdout.startswith("BROKEN: draw position 6: published"), done.stdout


def test_cli_wrong_commitment_fails(document_file):
    document = published(public_value=SECRET, commitment=commitment_of(SECRET))
    document["commitment"] = commitment_of("another secret")
    done = run_cli(document_file(document))
    assert done.returncode == 1
    assert "does not match the commitment" in done.stdout
    # The document's commitment must be the one published with the plan.
    genuine = published(public_value=SECRET, commitment=commitment_of(SECRET))
    done = run_cli(document_file(genuine), "--commitment", commitment_of("published earlier"))
    assert done.returncode == 1 and "is not the one published with the plan" in done.stdout


def test_cli_reads_standard_input():
    document = published()
    done = run_cli("-", stdin=json.dumps(document))
    assert done.returncode == 0, done.stdout
    assert done.stdout.startswith("verified: 10 parties")


def test_cli_unreadable_documents_exit_2(tmp_path, document_file):
    (tmp_path / "broken.json").write_text('{"format": ', encoding="utf-8")
    assert run_cli(str(tmp_path / "broken.json")).stdout.startswith("UNREADABLE: ")
    assert run_cli(str(tmp_path / "broken.json")).returncode == 2
    assert run_cli(str(tmp_path / "missing.json")).returncode == 2
    document = published()
    del document["recusals"]
    done = run_cli(document_file(document))
    assert (done.returncode, done.stdout.strip()) == (2, "UNREADABLE: document: key 'recusals' is missing")


def test_cli_fetches_the_document_from_the_plan_page():
    body = json.dumps(published(), ensure_ascii=False).encode()

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            if self.path != "/inspection/plan/7/draw.json":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        done = run_cli(f"{base}/inspection/plan/7/draw.json")
        assert done.returncode == 0, done.stdout
        missing = run_cli(f"{base}/inspection/plan/8/draw.json")
        assert missing.returncode == 2 and "cannot fetch" in missing.stdout
    finally:
        server.shutdown()
        server.server_close()
