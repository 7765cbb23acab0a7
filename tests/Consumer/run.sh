#!/usr/bin/env bash
# Consumer test: pack Differentiator, then build and run a fresh project outside the repository that references
# only the package, exactly as a user would. Checks: the generated gradient works, EmitCompilerGeneratedFiles shows
# the .g.cs, and a bad method fails the build with its DIFF error.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/differentiator-consumer-XXXX")
version="0.1.0-consumer.$(date +%s)"
echo "consumer test in $work (package version $version)"

dotnet pack "$root/src/Differentiator.Runtime" -c Release -o "$work/feed" -p:Version="$version" --nologo -v quiet

mkdir -p "$work/app"
cp "$root/tests/Consumer/App/"* "$work/app/"
cat > "$work/app/nuget.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="local" value="$work/feed" />
  </packageSources>
</configuration>
CONFIG
# A private package cache: a re-packed version can never be served from a stale cache.
export NUGET_PACKAGES="$work/packages"

output=$(dotnet run --project "$work/app" -p:DifferentiatorVersion="$version" 2>&1) || { echo "$output"; echo "FAIL: the consumer app did not build or run"; exit 1; }
echo "$output" | tail -n 1
echo "$output" | grep -q "gradient ok" || { echo "FAIL: wrong gradient"; exit 1; }
generated=$(find "$work/app/obj/generated" -name 'Model.Loss.g.cs' | head -n 1)
[ -n "$generated" ] || { echo "FAIL: EmitCompilerGeneratedFiles wrote no Model.Loss.g.cs"; exit 1; }
grep -q "LossGradient" "$generated" || { echo "FAIL: $generated has no LossGradient"; exit 1; }
echo "generated file: ${generated#$work/}"

cp "$root/tests/Consumer/Bad/Bad.cs" "$work/app/"
if bad=$(dotnet build "$work/app" -p:DifferentiatorVersion="$version" 2>&1); then
  echo "FAIL: a build with an unsupported 'foreach' succeeded"; exit 1
fi
echo "$bad" | grep -q "Bad.cs(8,23): error DIFF007" || { echo "$bad" | grep -E "error|warning" | head; echo "FAIL: no DIFF007 on Bad.cs line 8"; exit 1; }
if echo "$bad" | grep -q "CS8785"; then echo "FAIL: the generator crashed (CS8785)"; exit 1; fi
echo "bad method: error DIFF007 at Bad.cs(8,23), as expected"
echo "consumer test: 1 passed, 0 failed"
