"""Writes the timing table of a run.sh run: per eval, function and input size, the median of the tool's
"evaluate" timings for Differentiator and for GradBench's manual C++ (and PyTorch when its logs exist), and the ratio.
    python3 table.py OUT_DIR EVAL...
reads OUT_DIR/EVAL.differentiator.jsonl, OUT_DIR/EVAL.manual.jsonl (and OUT_DIR/EVAL.pytorch.jsonl).
"""
import json
import os
import statistics
import sys


def medians(path):
    """(function, description) -> (median ns, runs, valid) for each successful evaluation in a session log."""
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
            result[key] = (statistics.median(times), len(times), valid.get(id))
    return result


def milliseconds(ns):
    return f"{ns / 1e6:.4g}"


def main():
    out, evals = sys.argv[1], sys.argv[2:]
    torch_any = any(os.path.exists(os.path.join(out, f"{e}.pytorch.jsonl")) for e in evals)
    header = "| eval | function | size | Differentiator (ms) | manual C++ (ms) | ratio |"
    rule = "|---|---|---|---:|---:|---:|"
    if torch_any:
        header += " PyTorch (ms) |"
        rule += "---:|"
    print(header)
    print(rule)
    for e in evals:
        ours = medians(os.path.join(out, f"{e}.differentiator.jsonl"))
        manual = medians(os.path.join(out, f"{e}.manual.jsonl"))
        torch = medians(os.path.join(out, f"{e}.pytorch.jsonl"))
        for key, (ns, runs, valid) in ours.items():
            function, size = key
            mark = "" if valid else " (INVALID)" if valid is False else " (not validated)"
            row = f"| {e} | {function} | {size or '-'} | {milliseconds(ns)}{mark} |"
            if key in manual:
                row += f" {milliseconds(manual[key][0])} | {ns / manual[key][0]:.2f}× |"
            else:
                row += " - | - |"
            if torch_any:
                row += f" {milliseconds(torch[key][0])} |" if key in torch else " - |"
            print(row)


if __name__ == "__main__":
    main()
