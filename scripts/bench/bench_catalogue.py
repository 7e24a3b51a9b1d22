"""Benchmark: major-decision catalogue over 100,000 synthetic cases.

Usage (from the repo root): python scripts/bench/bench_catalogue.py [N]

Prints wall time, cases/s, fired-rule statistics and peak memory, measured
twice: once plainly (for the time) and once under tracemalloc (which slows
Python down, so its run is not timed). No assertions: this reports figures.
"""

import random
import resource
import sys
import time
import tracemalloc
from collections import Counter
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "addons" / "admin_enforcement"))

from enforcement_core.catalogue import Catalogue, CaseFacts, CatalogueRule  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000

# A catalogue in the shape of a provincial market-regulation list (seed 003):
# amount thresholds, heavy penalty types, hearings, complex cases, several
# listed categories and about 200 listed enforcement matters.
MATTERS = [f"3302170{i:05d}" for i in range(2000)]
RULES = [
    CatalogueRule("R01", "fine_threshold", "较大数额罚款", person_threshold=Decimal("10000"), organisation_threshold=Decimal("100000")),
    CatalogueRule("R02", "fine_threshold", "巨额罚款", person_threshold=Decimal("200000"), organisation_threshold=Decimal("1000000")),
    CatalogueRule("R03", "penalty_type", "吊销许可证件", frozenset({"licence_revocation"})),
    CatalogueRule("R04", "penalty_type", "责令停产停业、责令关闭", frozenset({"stop_production", "closure"})),
    CatalogueRule("R05", "penalty_type", "降低资质等级、限制从业", frozenset({"qualification_lowering", "restrict_practice"})),
    CatalogueRule("R06", "penalty_type", "没收较大数额违法所得", frozenset({"confiscation_large"})),
    CatalogueRule("R07", "hearing_held", "经过听证程序"),
    CatalogueRule("R08", "complex", "案情复杂、涉及多个法律关系"),
    CatalogueRule("R09", "category", "行政强制", frozenset({"compulsion"})),
    CatalogueRule("R10", "category", "行政征收", frozenset({"levy"})),
    *(
        CatalogueRule(f"M{i:03d}", "matter", f"重点领域事项组 {i}", frozenset(MATTERS[i * 10 : i * 10 + 3]))
        for i in range(200)
    ),
]


def synthetic_cases(n):
    rng = random.Random(20260302)  # fixed: every run evaluates the same cases
    categories = ["penalty"] * 8 + ["compulsion", "levy", "inspection"]
    types = ["warning", "fine", "confiscation", "confiscation_large", "licence_suspension", "licence_revocation", "stop_production", "closure"]
    for _ in range(n):
        party = "person" if rng.random() < 0.6 else "organisation"
        fine = Decimal(rng.choice((0, 200, 2000, 5000, 12000, 50000, 150000, 500000, 2000000)))
        penalty = {"fine"} if fine else set()
        if rng.random() < 0.3:
            penalty.add(rng.choice(types))
        yield CaseFacts(
            category=rng.choice(categories),
            procedure="simple" if fine <= 200 else "ordinary",
            party_type=party,
            matter_code=rng.choice(MATTERS),
            fine_amount=fine,
            penalty_types=frozenset(penalty),
            hearing_held=rng.random() < 0.05,
            complex_case=rng.random() < 0.03,
        )


def run(cases, catalogue):
    fired = Counter()
    major = 0
    for case in cases:
        result = catalogue.evaluate(case)
        major += bool(result)
        fired.update(f.rule_code for f in result)
    return major, fired


def main():
    cases = list(synthetic_cases(N))
    start = time.perf_counter()
    catalogue = Catalogue(RULES)
    compile_time = time.perf_counter() - start

    start = time.perf_counter()
    major, fired = run(cases, catalogue)
    wall = time.perf_counter() - start

    tracemalloc.start()
    run(cases, catalogue)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    maxrss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux

    print(f"rules: {len(RULES)} (compiled in {compile_time * 1000:.2f} ms)")
    print(f"cases: {N:,}  major: {major:,} ({major / N:.1%})  rules fired: {sum(fired.values()):,}")
    print(f"evaluation wall time: {wall:.3f} s  ->  {N / wall:,.0f} cases/s  ({wall / N * 1e6:.2f} us/case)")
    print(f"peak traced memory during evaluation: {peak / 1024:.1f} KiB (cases themselves built before)")
    print(f"process max RSS: {maxrss_kib / 1024:.1f} MiB (includes the {N:,} synthetic cases)")
    print("most frequent rules:", ", ".join(f"{code}={count:,}" for code, count in fired.most_common(5)))


if __name__ == "__main__":
    main()
