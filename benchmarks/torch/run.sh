#!/usr/bin/env bash
# Runs benchmarks/Differentiator.Benchmarks.Torch: the generated MseGradient, the hand-written loop and TorchSharp.
#
# TorchSharp-cpu 0.107.0's libLibTorchSharp.so needs GLIBCXX_3.4.32 (GCC 13's libstdc++); Debian 12 has 3.4.30.
# Without changing the system, this script downloads Debian 13 (trixie)'s libstdc++6, libgcc-s1 and libc6 (its
# libstdc++ needs glibc >= 2.38) into benchmarks/torch/.runtime/ (gitignored), unpacks them there, and starts the
# benchmark under trixie's dynamic loader with trixie's libraries first on the search path. Only that one process
# sees them: --library-path is not inherited by child processes, so BenchmarkDotNet runs in process (--inProcess).
#
# Usage: benchmarks/torch/run.sh [BenchmarkDotNet arguments]   (default: --filter '*' --job short --iterationCount 15)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
project="$repo/benchmarks/Differentiator.Benchmarks.Torch"
cache="$here/.runtime"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

# Pinned trixie packages: pool path and SHA256 (from trixie's Packages index). If the mirror has moved on to a newer
# point release, the current file is looked up in that index instead (the index checked against trixie's signed
# InRelease, the file against the index's SHA256).
packages=(
  "libc6 pool/main/g/glibc/libc6_2.41-12+deb13u5_amd64.deb b59b0625cd1a791375d40dab23a4d5d3d0641e3d0a773501becdc3725b7f99cf"
  "libgcc-s1 pool/main/g/gcc-14/libgcc-s1_14.2.0-19_amd64.deb 3c71917b490d1a17aed43196a2787a256ecf060526cdb20216a74bedc061b150"
  "libstdc++6 pool/main/g/gcc-14/libstdc++6_14.2.0-19_amd64.deb ab1fa05837aa7a92aae748fd07a18a35f7d18bb4a71c4724fe2bbf0e32089de0"
)

[ "$(uname -m)" = x86_64 ] || { echo "run.sh: x86-64 Linux only (TorchSharp-cpu's linux-x64 natives)" >&2; exit 1; }
mkdir -p "$cache/debs"

lookup() { # package -> "pool-path sha256" from trixie's current Packages index
  local index="$cache/trixie-Packages"
  if [ ! -s "$index" ]; then
    echo "run.sh: fetching trixie's package index to find the current $1" >&2
    # The index is trusted through trixie's signed InRelease (Debian's archive keyring, on every Debian system).
    local keyring=/usr/share/keyrings/debian-archive-keyring.gpg sum
    if ! command -v gpgv > /dev/null || [ ! -f "$keyring" ]; then
      echo "run.sh: cannot verify trixie's index (needs gpgv and $keyring); update the pinned packages instead" >&2
      exit 1
    fi
    curl -fsSL -o "$cache/InRelease" "$mirror/dists/trixie/InRelease"
    gpgv --keyring "$keyring" --output "$cache/Release" "$cache/InRelease" 2> /dev/null \
      || { echo "run.sh: trixie's InRelease does not verify" >&2; exit 1; }
    sum="$(awk '/^SHA256:/ { on = 1; next } /^[^ ]/ { on = 0 } on && $3 == "main/binary-amd64/Packages.xz" { print $1 }' "$cache/Release")"
    curl -fsSL -o "$index.xz" "$mirror/dists/trixie/main/binary-amd64/Packages.xz"
    echo "$sum  $index.xz" | sha256sum -c --quiet - || { echo "run.sh: trixie's Packages.xz does not match InRelease" >&2; exit 1; }
    xz -dc "$index.xz" > "$index.tmp" && mv "$index.tmp" "$index" && rm -f "$index.xz"
  fi
  awk -v want="$1" 'BEGIN { RS = ""; FS = "\n" }
    { p = f = s = ""
      for (i = 1; i <= NF; i++) {
        if ($i ~ /^Package: /) p = substr($i, 10)
        else if ($i ~ /^Filename: /) f = substr($i, 11)
        else if ($i ~ /^SHA256: /) s = substr($i, 9)
      }
      if (p == want) { print f, s; exit } }' "$index"
}

fetch() { # package pool-path sha256 -> path of a verified .deb in the cache
  local name="$1" path="$2" sha="$3" deb
  deb="$cache/debs/$(basename "$path")"
  if [ ! -f "$deb" ]; then
    if ! curl -fsSL -o "$deb.tmp" "$mirror/$path" 2> /dev/null; then
      rm -f "$deb.tmp"
      echo "run.sh: $path is no longer on the mirror; looking up the current $name" >&2
      read -r path sha < <(lookup "$name")
      [ -n "$path" ] || { echo "run.sh: $name is not in trixie's index" >&2; exit 1; }
      deb="$cache/debs/$(basename "$path")"
      curl -fsSL -o "$deb.tmp" "$mirror/$path"
    fi
    echo "$sha  $deb.tmp" | sha256sum -c --quiet - || { echo "run.sh: bad SHA256 for $path" >&2; exit 1; }
    mv "$deb.tmp" "$deb"
  fi
  echo "$deb"
}

root="$cache/root"
stamp="$root/.packages"
debs=()
for entry in "${packages[@]}"; do
  read -r name path sha <<< "$entry"
  debs+=("$(fetch "$name" "$path" "$sha")")
done
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "${debs[*]}" ]; then
  rm -rf "$root"
  mkdir -p "$root"
  for deb in "${debs[@]}"; do
    if command -v dpkg-deb > /dev/null; then dpkg-deb -x "$deb" "$root"
    else rm -rf "$cache/ar" && mkdir -p "$cache/ar" && (cd "$cache/ar" && ar x "$deb") && tar -xf "$cache/ar"/data.tar.* -C "$root"
    fi
  done
  echo "${debs[*]}" > "$stamp"
fi
lib="$root/usr/lib/x86_64-linux-gnu"
[ -x "$lib/ld-linux-x86-64.so.2" ] || { echo "run.sh: no loader at $lib/ld-linux-x86-64.so.2" >&2; exit 1; }

# The dotnet muxer finds the runtime next to its own executable (/proc/self/exe), which under an explicit loader
# is the loader itself, and refuses to run unless that file is named "dotnet". So the loader is copied (a copy,
# not a symlink: /proc/self/exe resolves symlinks) to $cache/dotnet-root/dotnet, beside links to the real
# installation's host/ and shared/ folders.
dotnet_exe="$(readlink -f "$(command -v dotnet)")"
dotnet_root="$(dirname "$dotnet_exe")"
shim="$cache/dotnet-root"
mkdir -p "$shim"
cp -f "$lib/ld-linux-x86-64.so.2" "$shim/dotnet"
ln -sfn "$dotnet_root/host" "$shim/host"
ln -sfn "$dotnet_root/shared" "$shim/shared"

# Build with the ordinary toolchain (the build does not load libtorch).
dotnet build -c Release "$project" -nologo -v quiet
app="$project/bin/Release/net10.0/linux-x64/Differentiator.Benchmarks.Torch.dll"

[ "$#" -gt 0 ] || set -- --filter '*' --job short --iterationCount 15
cd "$project"
exec "$shim/dotnet" --library-path "$lib:/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu" "$dotnet_exe" "$app" "$@"
