#!/usr/bin/env bash
# Edit-to-diagnostics latency in csharp-ls 0.28.0 (analyzers enabled), with and without [Differentiable].
#   benchmarks/EditorLatency/run.sh [--before REPO] [--bodies] [--methods "60 500"] [--edits 20] [--warmup 5] [--rounds 2] [--kinds "above inside"] [--emit MEMBERS] [--out DIR]
# --warmup N: edits typed first and not counted (the server's leftover work from opening the project slows them).
# --before REPO: also measure the generator built from another checkout (e.g. a clone at an older commit).
# --bodies: also measure this checkout with DifferentiatorEditorBodies=true (generated bodies compiled in the editor).
# --emit MEMBERS: DifferentiatorEmit for the generated variants (e.g. Gradient: only MGradient; default: the full set).
# Each project imports its checkout's build/Differentiator.targets as the package does (csharp-ls runs a design-time
# build, so the generated bodies are text only unless --bodies).
# Variants are interleaved round by round (plain, after, before, plain, ...), so a change of machine load hits all alike.
# Needs: the .NET SDK and python3 (standard library only). Installs csharp-ls as a global dotnet tool if missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
before=""; bodies=""; warmup=0; methods="60 500"; edits=20; rounds=2; kinds="above inside"; emit=""; out=/tmp/differentiator-editor-latency
while [ $# -gt 0 ]; do
  case "$1" in
    --before) before=$(cd "$2" && pwd); shift 2 ;;
    --bodies) bodies=1; shift ;;
    --methods) methods=$2; shift 2 ;;
    --edits) edits=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --kinds) kinds=$2; shift 2 ;;
    --emit) emit=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

export PATH="$PATH:$HOME/.dotnet/tools"
if ! csharp-ls --version 2>/dev/null | grep -q "0\.28\.0"; then
  dotnet tool install --global csharp-ls --version 0.28.0 || dotnet tool update --global csharp-ls --version 0.28.0
fi

# The generator and runtime of a checkout, built in Release and copied aside (a later rebuild must not change them mid-run).
build() { # build REPO LABEL
  dotnet build "$1/src/Differentiator.Generator" -c Release -v q -nologo >/dev/null
  dotnet build "$1/src/Differentiator.Runtime" -c Release -v q -nologo >/dev/null
  mkdir -p "$out/bin-$2"
  cp "$1"/src/Differentiator.Generator/bin/Release/netstandard2.0/Differentiator.Generator.dll "$out/bin-$2/"
  cp "$1"/src/Differentiator.Runtime/bin/Release/net8.0/Differentiator.Runtime.dll "$out/bin-$2/"
  cp "$1"/src/Differentiator.Runtime/build/Differentiator.targets "$out/bin-$2/"
}
mkdir -p "$out"
build "$repo" after
variants="plain after"
if [ -n "$bodies" ]; then variants="$variants bodies"; fi
if [ -n "$before" ]; then build "$before" before; variants="$variants before"; fi

for n in $methods; do
  for v in $variants; do
    bin=$out/bin-$([ "$v" = before ] && echo before || echo after)
    python3 "$here/make_project.py" --out "$out/$v-$n" --methods "$n" $([ "$v" = plain ] && echo --plain) \
      $([ -n "$emit" ] && [ "$v" != plain ] && echo --emit "$emit") $([ "$v" = bodies ] && echo --editor-bodies) \
      --targets "$bin/Differentiator.targets" --generator "$bin/Differentiator.Generator.dll" --runtime "$bin/Differentiator.Runtime.dll"
    dotnet restore "$out/$v-$n" -v q >/dev/null
  done
done

results=$out/results.jsonl
echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/log.txt"
for n in $methods; do
  for kind in $kinds; do
    for r in $(seq "$rounds"); do
      for v in $variants; do
        load=$(cut -d' ' -f1 /proc/loadavg)
        line=$(python3 "$here/latency.py" --project "$out/$v-$n" --edits "$edits" --warmup "$warmup" --kind "$kind" \
          $([ "$v" = plain ] || echo --expect-diff) --label "$v-$n")
        echo "$line" | python3 -c "import json,sys; d=json.load(sys.stdin); d['load']=$load; d['round']=$r; print(json.dumps(d))" | tee -a "$results"
      done
    done
  done
done
python3 "$here/summarize.py" "$results"
