"""What csharp-ls shows of Differentiator, checked with a real LSP client (docs/editors.md reports the result).

1. With csharp-ls's defaults (analyzers off): the compiler's diagnostics arrive, no DIFF diagnostic does.
2. With csharp.analyzersEnabled: DIFF001 on the identifier of a type that is not partial and DIFF102 on Math.Abs(x),
   each at exactly the range of that text.
3. Hover on a call to a generated gradient shows its doc comment, with the derived formula.
4. Code actions at DIFF001: whether csharp-ls offers the package's code fix (make the type partial).
Prints one line per check (PASS/FAIL/INFO); exits non-zero if a PASS/FAIL check failed.
   python3 editor_check.py --generator G.dll --codefixes C.dll --runtime R.dll [--out DIR]
"""
import argparse
import os
import subprocess
import sys
import time

from lsp import LspClient
from make_project import write_project

SOURCE = """using System;
using Differentiator;
namespace Check;

public static class NotPartial
{
    [Differentiable] public static double F(double x) => x * x;
}

public static partial class Funcs
{
    [Differentiable] public static double Sq(double x, double y) => x * x * y;
    [Differentiable] public static double Kink(double x) => Math.Abs(x) + x;
}

public static class Use
{
    public static double Call() => Funcs.SqGradient(1.0, 2.0, out _, out _);
    static void Marker() { int unused = 0; }
}
"""


def position_of(text, needle, offset=0):
    at = text.index(needle) + offset
    line = text.count("\n", 0, at)
    return {"line": line, "character": at - (text.rindex("\n", 0, at) + 1 if line else 0)}


def exact_range(text, needle):
    at = text.index(needle)
    def pos(o):
        line = text.count("\n", 0, o)
        return {"line": line, "character": o - (text.rindex("\n", 0, o) + 1 if line else 0)}
    return {"start": pos(at), "end": pos(at + len(needle))}


def diagnostics(client, uri, timeout=900):
    """The first published diagnostics of the file that include the compiler's warning (so the file was analysed)."""
    deadline = time.monotonic() + timeout
    while True:
        at, message = client.receive(deadline)
        if message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri:
            found = message["params"]["diagnostics"]
            if any(d.get("code") == "CS0219" for d in found):
                return found


def open_file(project, analyzers):
    path = os.path.join(project, "Check.cs")
    uri = "file://" + path
    client = LspClient(["csharp-ls"], project, {"csharp": {"analyzersEnabled": analyzers}})
    client.initialize(project)
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "csharp", "version": 1, "text": SOURCE}})
    return client, uri


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--generator", required=True)
    p.add_argument("--codefixes", required=True)
    p.add_argument("--runtime", required=True)
    p.add_argument("--out", default="/tmp/differentiator-editor-check")
    a = p.parse_args()
    write_project(a.out, a.generator, a.runtime, {"Check.cs": SOURCE})
    # The package puts the code fixes beside the generator in analyzers/dotnet/cs: load them the same way.
    csproj = os.path.join(a.out, "Bench.csproj")
    text = open(csproj).read().replace("</ItemGroup>", '  <Analyzer Include="%s" />\n  </ItemGroup>' % os.path.abspath(a.codefixes), 1)
    open(csproj, "w").write(text)
    subprocess.run(["dotnet", "restore", a.out, "-v", "q"], check=True, stdout=subprocess.DEVNULL)
    failed = False

    def report(ok, what):
        nonlocal failed
        failed |= ok is False
        print(("INFO" if ok is None else "PASS" if ok else "FAIL") + "  " + what)

    client, uri = open_file(a.out, analyzers=False)
    found = diagnostics(client, uri)
    report(not any(str(d.get("code", "")).startswith("DIFF") for d in found),
           "defaults (analyzersEnabled false): no DIFF diagnostic; codes shown: " + ", ".join(sorted({str(d.get('code')) for d in found})))
    client.shutdown()

    client, uri = open_file(a.out, analyzers=True)
    found = diagnostics(client, uri)
    diff = {d["code"]: d for d in found if str(d.get("code", "")).startswith("DIFF")}
    want = {"DIFF001": exact_range(SOURCE, "NotPartial"), "DIFF102": exact_range(SOURCE, "Math.Abs(x)")}
    for code, expected in want.items():
        got = diff.get(code, {}).get("range")
        report(got == expected, "analyzersEnabled: %s at %s (expected %s)" % (code, got, expected))

    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": position_of(SOURCE, "SqGradient", 2)})
    contents = hover and hover.get("contents")
    shown = contents.get("value", "") if isinstance(contents, dict) else str(contents)
    report("∂" in shown and "x" in shown, "hover on Funcs.SqGradient shows the generated doc comment with the formula:\n      " + shown.replace("\n", "\n      "))

    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": want["DIFF001"],
        "context": {"diagnostics": [diff["DIFF001"]] if "DIFF001" in diff else []}}) or []
    titles = [x.get("title") for x in actions]
    report(None, "code actions at DIFF001: " + (", ".join(titles) if titles else "none") +
           ("" if any("partial" in (t or "").lower() for t in titles) else "  (the package's 'make partial' fix is not offered)"))
    client.shutdown()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
