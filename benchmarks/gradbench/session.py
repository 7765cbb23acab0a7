"""Connects one GradBench eval to one tool, as GradBench's own CLI does, without it (it needs Rust crates).

The eval writes messages on its stdout and reads responses on its stdin; the tool the other way round. Every line
is relayed unchanged and logged in GradBench's session format (one {"elapsed", "message"} or {"elapsed",
"response"} object a line). At the end a summary line per evaluation is printed; the exit code is 1 if the tool
declined the module, failed an evaluation, or the eval judged an output invalid.
    python3 session.py --eval CMD --tool CMD --log FILE
"""
import argparse
import json
import statistics
import subprocess
import sys
import time


def relay(eval_cmd, tool_cmd, log_path):
    records = []
    evaluator = subprocess.Popen(eval_cmd, shell=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    tool = subprocess.Popen(tool_cmd, shell=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    start = time.perf_counter_ns()
    with open(log_path, "w") as log:
        def record(kind, value):
            entry = {"elapsed": {"nanoseconds": time.perf_counter_ns() - start}, kind: value}
            records.append(entry)
            log.write(json.dumps(entry) + "\n")
            log.flush()

        for line in evaluator.stdout:
            if not line.strip():
                continue
            message = json.loads(line)
            record("message", message)
            tool.stdin.write(line if line.endswith("\n") else line + "\n")
            tool.stdin.flush()
            if message.get("kind") == "end":
                break
            answer = tool.stdout.readline()
            if answer == "":
                raise SystemExit(f"the tool closed its output before answering message {message['id']}")
            record("response", json.loads(answer))
            evaluator.stdin.write(answer)
            evaluator.stdin.flush()
    tool.stdin.close()
    evaluator.stdin.close()
    tool.wait()
    evaluator.wait()
    return records, evaluator.returncode


def summarize(records):
    messages = {r["message"]["id"]: r["message"] for r in records if "message" in r}
    responses = {r["response"]["id"]: r["response"] for r in records if "response" in r}
    analyses = {m["of"]: m for m in messages.values() if m.get("kind") == "analysis"}
    ok = True
    for id, message in sorted(messages.items()):
        response = responses.get(id, {})
        if message["kind"] == "define":
            print(f"[{id}] define {message['module']}: {'success' if response.get('success') else 'declined'}"
                  + ("" if response.get("success") else f" ({response.get('error')})"))
            ok &= bool(response.get("success"))
        elif message["kind"] == "evaluate":
            where = f"[{id}] {message['module']}::{message['function']} {message.get('description', '')}".rstrip()
            if not response.get("success"):
                print(f"{where}: FAILED {response.get('error')}")
                ok = False
                continue
            times = [t["nanoseconds"] for t in response.get("timings", []) if t["name"] == "evaluate"]
            analysis = analyses.get(id)
            verdict = "valid" if analysis and analysis["valid"] else "INVALID" if analysis else "not analysed"
            if analysis and not analysis["valid"]:
                ok = False
                verdict += ": " + (analysis.get("error") or "")[:2000]
            median = statistics.median(times) / 1e6 if times else float("nan")
            print(f"{where}: {verdict}; {len(times)} runs, median {median:.4f} ms")
    return ok


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--eval", required=True, help="shell command that runs the eval")
    parser.add_argument("--tool", required=True, help="shell command that runs the tool")
    parser.add_argument("--log", required=True, help="where to write the session log (JSON lines)")
    args = parser.parse_args()
    records, eval_status = relay(args.eval, args.tool, args.log)
    ok = summarize(records)
    if eval_status != 0:
        print(f"the eval exited with status {eval_status}")
        ok = False
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
