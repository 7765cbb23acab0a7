"""Writes the timing table of a run.sh run: per eval, function and input size, the median and the minimum of the
tool's "evaluate" timings for Differentiator and for GradBench's manual C++ (and PyTorch when its logs exist), and
the ratios Differentiator / manual C++.
    python3 table.py OUT_DIR EVAL...
reads OUT_DIR/EVAL.differentiator.jsonl, OUT_DIR/EVAL.manual.jsonl (and OUT_DIR/EVAL.pytorch.jsonl).
"""
import json
import os
import statistics
import sys


def timings(path):
    """(function, description) -> (median ns, minimum ns, valid) for each successful evaluation in a session log."""
    if not os.path.exists(path):
        return {}
    messages, responses = {}, {}
    with open(path) as log:
        for line in log:
            entry = json.loads(line)
            if "message" in entry:
                messages[entry["message"]["id"]] = entry["message"]
            else:
                responses[entry["response"]["id"]] = entry["response"]
    valid = {m["of"]: m["valid"] for m in messages.values() if m.get("kind") == "analysis"}
    result = {}
    for id, message in messages.items():
        response = responses.get(id, {})
        if message.get("kind") != "evaluate" or not response.get("success"):
            continue
        times = [t["nanoseconds"] for t in response.get("timings", []) if t["name"] == "evaluate"]
        if times:
            key = (message["function"], message.get("description", ""))
            result[key] = (statistics.median(times), min(times), valid.get(id))
    return result


def ms(ns):
    return f"{ns / 1e6:.3g}"


def main():
    out, evals = sys.argv[1], sys.argv[2:]
    torch_any = any(os.path.exists(os.path.join(out, f"{e}.pytorch.jsonl")) for e in evals)
    header = "| eval | function | size | valid | Differentiator ms, median (min) | manual C++ ms, median (min) | ratio of medians | ratio of minima |"
    rule = "|---|---|---|---|---:|---:|---:|---:|"
    if torch_any:
        header += " PyTorch ms, median (min) |"
        rule += "---:|"
    print(header)
    print(rule)
    for e in evals:
        ours = timings(os.path.join(out, f"{e}.differentiator.jsonl"))
        manual = timings(os.path.join(out, f"{e}.manual.jsonl"))
        torch = timings(os.path.join(out, f"{e}.pytorch.jsonl"))
        for key, (median, minimum, valid) in ours.items():
            function, size = key
            verdict = "yes" if valid else "NO" if valid is False else "not checked"
            row = f"| {e} | {function} | {size or '-'} | {verdict} | {ms(median)} ({ms(minimum)}) |"
            if key in manual:
                m_median, m_min, _ = manual[key]
                row += f" {ms(m_median)} ({ms(m_min)}) | {median / m_median:.2f}× | {minimum / m_min:.2f}× |"
            else:
                row += " - | - | - |"
            if torch_any:
                row += f" {ms(torch[key][0])} ({ms(torch[key][1])}) |" if key in torch else " - |"
            print(row)


if __name__ == "__main__":
    main()
