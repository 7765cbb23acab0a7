"""Summarises results.jsonl from run.sh: per file size, edit kind and variant, the median, p90 and max over every edit
of every round, and the ratio of each variant's median to the plain file's (no [Differentiable])."""
import json
import statistics
import sys
from collections import defaultdict


def main(path):
    runs = [json.loads(l) for l in open(path) if l.strip()]
    groups = defaultdict(list)
    loads = defaultdict(list)
    for r in runs:
        variant, n = r["label"].rsplit("-", 1)
        groups[(int(n), r["kind"], variant)].extend(r["all_ms"])
        loads[(int(n), r["kind"], variant)].append(r.get("load"))
    print("| methods | edit | variant | edits | median ms | p90 ms | max ms | median / plain | load (1-min avg at start) |")
    print("|---:|---|---|---:|---:|---:|---:|---:|---|")
    for (n, kind, variant) in sorted(groups, key=lambda k: (k[0], k[1], ["plain", "after", "bodies", "before"].index(k[2]))):
        xs = sorted(groups[(n, kind, variant)])
        median = statistics.median(xs)
        p90 = xs[min(len(xs) - 1, int(0.9 * len(xs)))]
        plain = groups.get((n, kind, "plain"))
        ratio = "%.2f" % (median / statistics.median(plain)) if plain else "-"
        print("| %d | %s | %s | %d | %d | %d | %d | %s | %s |" % (n, kind, variant, len(xs), median, p90, xs[-1], ratio,
                                                              ", ".join(str(l) for l in loads[(n, kind, variant)])))


if __name__ == "__main__":
    main(sys.argv[1])
