#!/usr/bin/env bash
# Runs GradBench's own evals (Python, outside Docker) against Differentiator's GradBench tool, each output validated
# by the eval itself against GradBench's manual C++; then runs the same evals against the manual C++ tool, and writes
# the timing table out/table.md. See docs/gradbench.md.
#
#   benchmarks/gradbench/run.sh GRADBENCH_CHECKOUT        (or GRADBENCH=... benchmarks/gradbench/run.sh)
#
# Environment knobs: EVALS (default "hello llsq lse det ode gmm lstm kmeans ba ht particle saddle"), MIN_SECONDS (per evaluation, default 1),
# OUT (default benchmarks/gradbench/out), TOOLS (default "differentiator manual"), NO_MANUAL_TIMING=1 (validate only),
# TORCH=1 (also time GradBench's PyTorch tool with Debian's python3-torch), LSTM_TEXT (a UTF-8 text to use when the checkout lacks
# evals/lstm/data/lstm_full.txt), ARGS_<eval> (the eval's size arguments, replacing the defaults below).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
gradbench="$(cd "${1:-${GRADBENCH:?give the path of a GradBench checkout: run.sh DIR or GRADBENCH=DIR}}" && pwd)"
[[ -f "$gradbench/python/gradbench/gradbench/eval.py" ]] || { echo "$gradbench is not a GradBench checkout" >&2; exit 2; }
evals="${EVALS:-hello llsq lse det ode gmm lstm kmeans ba ht particle saddle}"
min_seconds="${MIN_SECONDS:-1}"
out="${OUT:-$here/out}"
tools="${TOOLS:-differentiator manual}"   # which tools to run; the table reads every log already in $out
[[ "${NO_MANUAL_TIMING:-0}" == 1 ]] && tools="${tools/manual/}"
[[ "${TORCH:-0}" == 1 ]] && tools+=" pytorch"
python=/usr/bin/python3   # Debian's: its numpy, scipy, pydantic and dataclasses-json are the evals' dependencies

# Small to medium sizes of each eval (GradBench's defaults go much further); ARGS_<eval> replaces them.
declare -A sizes=(
  [hello]=""
  [llsq]="-n 1024 16392"
  [lse]="-n 10000 160000"
  [det]="-l 7 9"
  [ode]="-n 1000 10000 -s 10"
  [gmm]="-d 2 10 -k 5 25"
  [lstm]="-l 2 4 -c 1024"
  [kmeans]="-k 10 100 -n 1000 10000 -d 8"
  [ba]="--min 1 --max 5"
  [ht]="--model small --min 1 --max 5"
  [particle]=""   # one input each (w = 0; start = (1, 1)): their evals take only --min-runs and --min-seconds
  [saddle]=""
)

# The evals GradBench's manual C++ implements (particle and saddle it does not: their evals check a fixed expected output).
manual_has() { grep -qx "$1" "$gradbench/tools/manual/evals.txt"; }

# 1. Debian packages: the evals' Python dependencies and the JSON header GradBench's C++ includes.
packages=(python3 python3-numpy python3-scipy python3-pydantic python3-dataclasses-json nlohmann-json3-dev g++ make)
[[ " $tools " == *" pytorch "* ]] && packages+=(python3-torch)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  if [[ $(id -u) == 0 ]]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  else echo "install first: sudo apt-get install ${missing[*]}" >&2; exit 2; fi
fi
export CPATH="/usr/include/nlohmann${CPATH:+:$CPATH}"   # GradBench's C++ includes "json.hpp"

# 2. GradBench's manual C++: the evals validate against it, and it is the timing reference.
for e in $evals; do manual_has "$e" && make -s -C "$gradbench/tools/manual" "bin/$e"; done

# 3. Our tool, built once.
if [[ " $tools " == *" differentiator "* ]]; then
  mkdir -p "$out"
  dotnet build -c Release "$root/benchmarks/GradBench/GradBench.csproj" -v q -nologo > "$out/build.log" 2>&1 \
    || { cat "$out/build.log"; echo "building benchmarks/GradBench failed" >&2; exit 1; }
fi
tool="dotnet $root/benchmarks/GradBench/bin/Release/net10.0/Differentiator.GradBench.dll"

# 4. The evals run in a directory that looks like the checkout (they open tools/manual/bin/... and
#    evals/{lstm,ba,ht}/data by relative path); only the LSTM text may come from elsewhere.
mkdir -p "$out/cwd/evals/lstm/data"
ln -sfn "$gradbench/tools" "$out/cwd/tools"
ln -sfn "$gradbench/cpp" "$out/cwd/cpp"
text="$gradbench/evals/lstm/data/lstm_full.txt"
if [[ ! -s "$text" && -n "${LSTM_TEXT:-}" ]]; then
  echo "note: $text is missing; the lstm eval reads its characters from $LSTM_TEXT instead"
  text="$LSTM_TEXT"
fi
ln -sfn "$text" "$out/cwd/evals/lstm/data/lstm_full.txt"
for e in ba ht; do   # their instances are files in the checkout (ADBench's), read by relative path
  mkdir -p "$out/cwd/evals/$e"
  ln -sfn "$gradbench/evals/$e/data" "$out/cwd/evals/$e/data"
done
export PYTHONPATH="$gradbench/python/gradbench${PYTHONPATH:+:$PYTHONPATH}"
cd "$out/cwd"

status=0
run() { # eval, tool name, tool command
  local e=$1 name=$2 command=$3 args
  local knob="ARGS_$e"
  args="${!knob:-${sizes[$e]}}"
  [[ $e != hello ]] && args+=" --min-seconds $min_seconds"
  echo "== $e with $name ($args)"
  "$python" "$here/session.py" --log "$out/$e.$name.jsonl" \
    --eval "$python $here/pydantic1.py $gradbench/python/gradbench/gradbench/evals/$e/run.py $args" \
    --tool "$command" || status=1
}
for e in $evals; do
  if [[ $e == lstm && ! -s evals/lstm/data/lstm_full.txt ]]; then
    echo "== lstm skipped: the checkout has no evals/lstm/data/lstm_full.txt (set LSTM_TEXT to a UTF-8 text)"; status=1; continue
  fi
  [[ " $tools " == *" differentiator "* ]] && run "$e" differentiator "$tool"
  if [[ " $tools " == *" manual "* ]]; then
    if manual_has "$e"; then run "$e" manual "$python $gradbench/python/gradbench/gradbench/cpp.py manual"
    else echo "== $e: GradBench's manual tool does not implement it; no manual timing"; fi
  fi
  # GradBench's PyTorch tool implements some evals only (a module file each); the others it would decline.
  if [[ " $tools " == *" pytorch "* && -f "$gradbench/python/gradbench/gradbench/tools/pytorch/$e.py" ]]; then
    run "$e" pytorch "$python $gradbench/python/gradbench/gradbench/tools/pytorch/run.py"
  fi
done

{
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)); load average before the table: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Median of each evaluation's \"evaluate\" timings (at least ${min_seconds} s of runs), in milliseconds; ratio = Differentiator / manual C++."
  echo
  "$python" "$here/table.py" "$out" $evals
} > "$out/table.md"
cat "$out/table.md"
exit $status
