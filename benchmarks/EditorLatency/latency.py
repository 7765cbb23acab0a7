"""Edit-to-diagnostics latency in csharp-ls with analyzers enabled, as an editor sees it.

Opens Losses.cs (made by make_project.py), waits for its first diagnostics, then types one character at a time and
times each edit (textDocument/didChange) to the first publishDiagnostics that reflects it. An edit is either a
newline typed above every method ("above": every method moves, none changes) or a digit appended to a constant in
the middle method ("inside": that method changes, every time to a version never seen). A result is recognised as
fresh by the compiler warning at the end of the file (its line moves with each newline) and, for "inside", by the
document version the server echoes; with [Differentiable] it must also hold the DIFF diagnostics, moved as far as
the warning for "above" (csharp-ls may publish fresh compiler diagnostics with the analyzers' previous results).
Prints one JSON line: the latencies in milliseconds.
"""
import argparse
import json
import os
import statistics
import sys
import time

from lsp import LspClient


def diagnostics_of(message, uri):
    if message.get("method") != "textDocument/publishDiagnostics":
        return None
    params = message["params"]
    return params if params["uri"] == uri else None


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--project", required=True)
    p.add_argument("--edits", type=int, default=20)
    p.add_argument("--warmup", type=int, default=0,
                   help="edits typed first and not counted: the server's work left over from opening the project (JIT, "
                        "background analysis) slows the first keystrokes; typing goes on for much longer")
    p.add_argument("--kind", choices=["above", "inside"], default="above")
    p.add_argument("--expect-diff", action="store_true", help="a fresh result must contain DIFF diagnostics")
    p.add_argument("--server", default="csharp-ls")
    p.add_argument("--label", default="")
    p.add_argument("--trace", action="store_true")
    a = p.parse_args()

    path = os.path.abspath(os.path.join(a.project, "Losses.cs"))
    uri = "file://" + path
    text = open(path).read()
    lines = text.split("\n")
    marker_line = next(k for k, l in enumerate(lines) if "int unused" in l)

    client = LspClient([a.server], a.project, {"csharp": {"analyzersEnabled": True, "logLevel": "warning"}})
    started = time.perf_counter()
    client.initialize(a.project)
    version = 1
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "csharp", "version": version, "text": text}})

    def diff_count(d):
        return sum(1 for x in d["diagnostics"] if str(x.get("code", "")).startswith("DIFF"))

    def first_diff_line(d):
        lines_ = [x["range"]["start"]["line"] for x in d["diagnostics"] if str(x.get("code", "")).startswith("DIFF")]
        return min(lines_) if lines_ else None

    stale = [0]

    def fresh(d, expected_marker_line, expected_version):
        if a.expect_diff and diff_count(d) == 0:
            return False
        # A server may publish fresh compiler diagnostics with the analyzers' previous ones: for "above", the DIFF
        # diagnostics must have moved down as far as the compiler's warning did.
        if a.expect_diff and expected_diff_line[0] is not None and first_diff_line(d) != expected_diff_line[0]:
            stale[0] += 1
            return False
        if "version" in d and d["version"] is not None and expected_version is not None and d["version"] != expected_version:
            return False
        return any(x.get("code") == "CS0219" and x["range"]["start"]["line"] == expected_marker_line for x in d["diagnostics"])

    def wait_fresh(expected_marker_line, expected_version, timeout):
        deadline = time.monotonic() + timeout
        while True:
            at, message = client.receive(deadline)
            d = diagnostics_of(message, uri)
            if d is None:
                client.unhandled(at, message)
                continue
            if a.trace:
                sys.stderr.write("  publish v=%s diags=%d diff=%d\n" % (d.get("version"), len(d["diagnostics"]), diff_count(d)))
            if fresh(d, expected_marker_line, expected_version):
                return at, d

    expected_diff_line = [None]
    _, first = wait_fresh(marker_line, None, timeout=900)
    if a.expect_diff:
        expected_diff_line[0] = first_diff_line(first)
    loaded_s = time.perf_counter() - started
    diff_total = diff_count(first)

    # The middle method's '0.25' constant, to which "inside" appends digits.
    middle = len([l for l in lines if "public static double Loss" in l]) // 2
    signature = next(k for k, l in enumerate(lines) if "double Loss%d(" % middle in l)
    inside_line = next(k for k in range(signature, len(lines)) if "0.25" in lines[k])
    inside_char = lines[inside_line].index("0.25") + 4
    above_line = next(k for k, l in enumerate(lines) if "// Type here" in l)

    latencies = []
    for k in range(a.warmup + a.edits):
        time.sleep(0.3)  # a typist's pause; also lets stray messages of the previous edit arrive first
        while not client.messages.empty():
            at, message = client.receive(time.monotonic() + 5)
            client.unhandled(at, message)
        version += 1
        if a.kind == "above":
            position = {"line": above_line, "character": len(lines[above_line])}
            new_text = "\n"
            marker_line += 1
            inside_line += 1
            if expected_diff_line[0] is not None:
                expected_diff_line[0] += 1
        else:
            position = {"line": inside_line, "character": inside_char}
            new_text = str(k % 9 + 1)
            inside_char += 1
        change = {"range": {"start": position, "end": position}, "text": new_text}
        sent = time.perf_counter()
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
        at, d = wait_fresh(marker_line, version, timeout=300)
        latencies.append((at - sent) * 1000)
        if a.expect_diff and diff_count(d) != diff_total:
            raise SystemExit("edit %d: %d DIFF diagnostics, %d before" % (k, diff_count(d), diff_total))

    client.shutdown()
    warmup, latencies = latencies[:a.warmup], latencies[a.warmup:]
    ordered = sorted(latencies)
    result = {
        "label": a.label, "kind": a.kind, "edits": a.edits, "diff_diagnostics": diff_total,
        "stale_publishes_skipped": stale[0],
        "first_diagnostics_s": round(loaded_s, 1),
        "median_ms": round(statistics.median(ordered)), "p90_ms": round(ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]),
        "max_ms": round(ordered[-1]), "all_ms": [round(x) for x in latencies],
        "warmup_ms": [round(x) for x in warmup],
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
