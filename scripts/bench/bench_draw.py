"""Benchmark: the 双随机 draw over 100,000 parties and 500 inspectors.

Usage (from the repo root): python scripts/bench/bench_draw.py [PARTIES] [INSPECTORS]

The register: PARTIES ids in USCC shape and INSPECTORS certificate numbers;
1% of the parties have declared a conflict with 1-3 inspectors (recusals).
The plan draws 5% of the parties with 2 inspectors each. Timed, each the
best of several rounds to keep scheduler noise out:
* inputs: building ``DrawInputs`` (duplicate check, normalisation);
* draw: ``draw`` (seed, sorting both registers, the partial shuffles);
* verify: ``verify_draw`` (reruns the draw and compares);
* document: ``draw_document`` and its JSON text (what the public page serves);
* read: ``json.loads`` + ``read_draw_document`` (what ``scripts/verify-draw``
  does before verifying), and the whole ``verify_draw_document``;
* the command: ``scripts/verify-draw`` on the saved JSON, in a fresh
  interpreter without site-packages (``-I -S``), start-up included.
The target is < 2 s for the draw and for the verification; the ratios
printed are wall time / 2 s (below 1 meets it). The CPU time of the process
is printed beside each wall time: on a shared machine the wall time also
holds other processes' turns. No assertions: this reports figures.
"""

import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "addons" / "admin_enforcement"))

from enforcement_core.random_draw import (  # noqa: E402
    DrawInputs,
    draw,
    draw_document,
    read_draw_document,
    verify_draw,
    verify_draw_document,
)

PARTIES = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
INSPECTORS = int(sys.argv[2]) if len(sys.argv) > 2 else 500
RECUSAL_SHARE = 0.01
RATIO = "0.05"
ROUNDS = 3
TARGET_S = 2.0


def register():
    rng = random.Random(20260401)  # fixed: every run draws from the same register
    parties = [f"91330106{n:010d}" for n in range(PARTIES)]
    rng.shuffle(parties)  # as a database may return them; the draw sorts
    inspectors = [f"浙{33010000 + n:08d}" for n in range(INSPECTORS)]
    recusals = frozenset(
        (inspector, party)
        for party in rng.sample(parties, int(PARTIES * RECUSAL_SHARE))
        for inspector in rng.sample(inspectors, rng.randint(1, 3))
    )
    return parties, inspectors, recusals


CPU = {}  # step -> best CPU time of this process (wall time also counts other processes' turns)


def best_of(function, *args, **kwargs):
    best = cpu = float("inf")
    for _ in range(ROUNDS):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = function(*args, **kwargs)
        best = min(best, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    CPU[function.__name__] = cpu
    return best, result


def build_inputs(parties, inspectors, recusals):
    return DrawInputs(
        plan_id="浙杭西市监抽〔2026〕3号",
        published_at="2026-04-01T09:30:00+08:00",
        public_value="体彩排列三 2026088期 719",
        party_ids=parties,
        inspector_ids=inspectors,
        ratio=RATIO,
        inspectors_per_party=2,
        recusals=recusals,
    )


def to_json(inputs, result):
    return json.dumps(draw_document(inputs, result), ensure_ascii=False, separators=(",", ":"))


def read(text):
    return read_draw_document(json.loads(text))


def main():
    parties, inspectors, recusals = register()
    inputs_time, inputs = best_of(build_inputs, parties, inspectors, recusals)
    draw_time, result = best_of(draw, inputs)
    verify_time, problems = best_of(verify_draw, inputs, result)
    if problems:
        raise SystemExit(f"benchmark draw does not verify: {problems}")
    document_time, text = best_of(to_json, inputs, result)
    read_time, (read_inputs, read_result) = best_of(read, text)
    if (read_inputs.party_ids, read_result) != (tuple(sorted(parties)), result):
        raise SystemExit("the document read back differs from the draw")
    full_time, (_, _, problems) = best_of(verify_draw_document, json.loads(text))
    if problems:
        raise SystemExit(f"benchmark document does not verify: {problems}")
    size = len(text.encode())
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as saved:
        saved.write(text)
        saved.flush()
        command = [sys.executable, "-I", "-S", str(Path(__file__).resolve().parents[1] / "verify-draw"), saved.name]
        command_time, done = best_of(subprocess.run, command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"scripts/verify-draw refused the benchmark document: {done.stdout}")

    print(f"register: {PARTIES:,} parties, {INSPECTORS:,} inspectors, {len(recusals):,} recusals "
          f"({RECUSAL_SHARE:.0%} of parties)")
    print(f"plan: ratio {RATIO}, 2 inspectors per party -> {result.party_count:,} parties drawn")
    print(f"DrawInputs (duplicate check):          {inputs_time:.3f} s (cpu {CPU['build_inputs']:.3f} s)")
    print(f"draw:                                  {draw_time:.3f} s (cpu {CPU['draw']:.3f} s)  (ratio to the {TARGET_S:.0f} s target: "
          f"{draw_time / TARGET_S:.3f})")
    print(f"verify_draw:                           {verify_time:.3f} s (cpu {CPU['verify_draw']:.3f} s)  (ratio to the {TARGET_S:.0f} s target: "
          f"{verify_time / TARGET_S:.3f})")
    print(f"inputs + draw (what the bureau runs):  {inputs_time + draw_time:.3f} s  (ratio "
          f"{(inputs_time + draw_time) / TARGET_S:.3f})")
    print(f"draw_document + JSON text:             {document_time:.3f} s (cpu {CPU['to_json']:.3f} s)  ->  {size / 2**20:.2f} MiB "
          f"({size:,} bytes, {size / PARTIES:.0f} bytes/party)")
    print(f"json.loads + read_draw_document:       {read_time:.3f} s (cpu {CPU['read']:.3f} s)")
    print(f"verify_draw_document (snapshots+draw): {full_time:.3f} s (cpu {CPU['verify_draw_document']:.3f} s)")
    print(f"read + verify (scripts/verify-draw):   {read_time + full_time:.3f} s  (ratio to the {TARGET_S:.0f} s "
          f"target: {(read_time + full_time) / TARGET_S:.3f})")
    print(f"scripts/verify-draw, whole command:    {command_time:.3f} s  (ratio to the {TARGET_S:.0f} s target: "
          f"{command_time / TARGET_S:.3f})")
    print(f"process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
