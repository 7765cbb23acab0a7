#!/usr/bin/env bash
# Consumer test: pack at the repository root, then build and run a fresh project outside the repository that
# references only the package, exactly as a user would. Checks: the root pack gives exactly one package, its README
# has no relative links, its PDB carries Source Link (when origin is on GitHub); the strict app (documentation file,
# warnings as errors, nullable) builds with zero warnings; the generated gradient works; EmitCompilerGeneratedFiles
# shows the .g.cs; DifferentiatorEmit chooses the members; a design-time build gets bodies as text; a bad method fails the build with its DIFF error.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/differentiator-consumer-XXXX")
version="0.1.0-consumer.$(date +%s)"
echo "consumer test in $work (package version $version)"

dotnet pack "$root" -c Release -o "$work/feed" -p:Version="$version" --nologo -v quiet
packages=$(cd "$work/feed" && ls *.nupkg)
[ "$packages" = "Differentiator.$version.nupkg" ] || { echo "$packages"; echo "FAIL: dotnet pack at the root must give exactly one package, Differentiator"; exit 1; }
mkdir -p "$work/unpacked" "$work/symbols"
(cd "$work/unpacked" && unzip -q "$work/feed/Differentiator.$version.nupkg")
if grep -nE '\]\((docs|tests|samples|src)/' "$work/unpacked/README.md"; then echo "FAIL: the package README has relative links"; exit 1; fi
if git -C "$root" remote get-url origin 2>/dev/null | grep -q "github.com"; then
  (cd "$work/symbols" && unzip -q "$work/feed/Differentiator.$version.snupkg")
  grep -aq "raw.githubusercontent.com" "$work/symbols/lib/net8.0/Differentiator.Runtime.pdb" || { echo "FAIL: no Source Link in the PDB"; exit 1; }
  echo "package: one nupkg, absolute README links, Source Link in the PDB"
else
  echo "package: one nupkg, absolute README links (Source Link not checked: origin is not on GitHub)"
fi

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

build=$(dotnet build "$work/app" -p:DifferentiatorVersion="$version" 2>&1) || { echo "$build"; echo "FAIL: the strict consumer app did not build"; exit 1; }
echo "$build" | grep -q " 0 Warning(s)" || { echo "$build" | grep -i "warning" | head; echo "FAIL: the strict consumer app built with warnings"; exit 1; }
echo "strict app (GenerateDocumentationFile, TreatWarningsAsErrors, Nullable): 0 warnings"
output=$(dotnet run --no-build --project "$work/app" -p:DifferentiatorVersion="$version" 2>&1) || { echo "$output"; echo "FAIL: the consumer app did not run"; exit 1; }
echo "$output" | tail -n 1
echo "$output" | grep -q "gradient ok" || { echo "FAIL: wrong gradient"; exit 1; }
generated=$(find "$work/app/obj/generated" -name 'Model.Loss.g.cs' | head -n 1)
[ -n "$generated" ] || { echo "FAIL: EmitCompilerGeneratedFiles wrote no Model.Loss.g.cs"; exit 1; }
grep -q "LossGradient" "$generated" || { echo "FAIL: $generated has no LossGradient"; exit 1; }
echo "generated file: ${generated#$work/}"
# DifferentiatorEmit reaches the generator through the package's build/Differentiator.targets: no picture by default, one when asked.
if grep -q "LossGradientDot" "$generated"; then echo "FAIL: LossGradientDot generated without DifferentiatorEmit asking for it"; exit 1; fi
emitted=$(dotnet build "$work/app" -p:DifferentiatorVersion="$version" -p:DifferentiatorEmit=Gradient%3BTape%3BNumerical%3BDot 2>&1) || { echo "$emitted"; echo "FAIL: the build with DifferentiatorEmit=Gradient;Tape;Numerical;Dot failed"; exit 1; }
grep -q "internal const string LossGradientDot" "$generated" || { echo "FAIL: DifferentiatorEmit=Gradient;Tape;Numerical;Dot did not add LossGradientDot (a list separated by ; must arrive whole)"; exit 1; }
echo "DifferentiatorEmit: no DOT member by default, LossGradientDot with DifferentiatorEmit=Gradient;Tape;Numerical;Dot"

# An IDE's design-time build (DesignTimeBuild=true, as Visual Studio and csharp-ls run it) gets the bodies as text the
# compiler skips; DifferentiatorEditorBodies=true compiles them there too. Both reach the generator through the targets.
region="#if false // design-time build"
designtime=$(dotnet build "$work/app" -p:DifferentiatorVersion="$version" -p:DesignTimeBuild=true 2>&1) || { echo "$designtime"; echo "FAIL: the design-time build failed"; exit 1; }
grep -q "$region" "$generated" || { echo "FAIL: a design-time build did not get the bodies as text (no '$region' in $generated)"; exit 1; }
grep -q "LossGradient was compiled by an IDE design-time build" "$generated" || { echo "FAIL: no design-time member for LossGradient"; exit 1; }
bodies=$(dotnet build "$work/app" -p:DifferentiatorVersion="$version" -p:DesignTimeBuild=true -p:DifferentiatorEditorBodies=true 2>&1) || { echo "$bodies"; echo "FAIL: the design-time build with DifferentiatorEditorBodies=true failed"; exit 1; }
if grep -q "$region" "$generated"; then echo "FAIL: DifferentiatorEditorBodies=true still left the bodies out"; exit 1; fi
echo "design-time build: bodies as text (#if false); DifferentiatorEditorBodies=true compiles them"

cp "$root/tests/Consumer/Bad/Bad.cs" "$work/app/"
if bad=$(dotnet build "$work/app" -p:DifferentiatorVersion="$version" 2>&1); then
  echo "FAIL: a build with an unsupported 'foreach' succeeded"; exit 1
fi
echo "$bad" | grep -q "Bad.cs(8,23): error DIFF007" || { echo "$bad" | grep -E "error|warning" | head; echo "FAIL: no DIFF007 on Bad.cs line 8"; exit 1; }
if echo "$bad" | grep -q "CS8785"; then echo "FAIL: the generator crashed (CS8785)"; exit 1; fi
echo "bad method: error DIFF007 at Bad.cs(8,23), as expected"
echo "consumer test: 1 passed, 0 failed"
