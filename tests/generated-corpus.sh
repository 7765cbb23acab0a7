#!/usr/bin/env bash
# Dumps the generated code of every program the generator tests compile, for comparing two versions of the generator.
#   tests/generated-corpus.sh OUT_DIR [extra dotnet test args]
# Then: diff -r BEFORE_DIR AFTER_DIR (each input's folder holds input.cs.txt and one file per generated source).
# Random-seeded long fuzz runs are not dumped deterministically; the CI batch (fixed seeds) is.
set -euo pipefail
out=$(realpath -m "$1"); shift || true
rm -rf "$out"; mkdir -p "$out"
cd "$(dirname "$0")/.."
DIFFERENTIATOR_DUMP_GENERATED="$out" dotnet test tests/Differentiator.Generator.Tests "$@"
echo "dumped $(ls "$out" | wc -l) inputs to $out"
