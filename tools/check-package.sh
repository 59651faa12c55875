#!/usr/bin/env bash
# Done-when check of the KerasPort NuGet package: packs it, creates a fresh console app (`dotnet new console`) in a
# temporary directory outside the repository, references KerasPort from a local folder feed, and runs a golden
# model (default Fixtures/golden/core/dense_3d_nobias; pass another case directory as $1), which must reproduce
# Keras's outputs. On Debian 12 this also proves the package's buildTransitive libstdc++ step works.
# The package gets a unique prerelease version so that the NuGet cache never serves a stale copy; that version is
# removed from the cache at the end. TorchSharp-cpu comes from the usual NuGet sources as a package dependency.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
case_dir=$(cd "${1:-$root/Fixtures/golden/core/dense_3d_nobias}" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/kerasport-package-check.XXXXXX")
version="0.1.0-check.$(date +%s)"
packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
cleanup() { rm -rf "$work" "$packages/kerasport/$version"; }
trap cleanup EXIT

echo "== pack KerasPort $version"
dotnet pack "$root/Runtime" -c Release -o "$work/feed" -p:Version="$version" --nologo -v quiet
nupkg="$work/feed/KerasPort.$version.nupkg"
size=$(stat -c %s "$nupkg")
echo "   $(basename "$nupkg"): $size bytes"
listing=$(unzip -l "$nupkg")
if grep -Eq 'libtorch|\.so$' <<<"$listing"; then echo "FAIL: the package embeds native libraries"; exit 1; fi
grep -q 'buildTransitive/KerasPort.targets' <<<"$listing" || { echo "FAIL: buildTransitive/KerasPort.targets missing"; exit 1; }

echo "== fresh console app"
cd "$work"
dotnet new console -o app >/dev/null
cd app
cat > nuget.config <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="kerasport-local" value="$work/feed" />
  </packageSources>
</configuration>
XML
dotnet add package KerasPort --version "$version" >/dev/null
cp "$root/tools/check-package/Program.cs" Program.cs
dotnet build --nologo -v quiet -p:NoWarn=NU1603
# Debian 12 (libstdc++ without GLIBCXX_3.4.32): the package's buildTransitive step must have patched the output copy.
libstdcxx=$(ls /usr/lib/x86_64-linux-gnu/libstdc++.so.6 /usr/lib/aarch64-linux-gnu/libstdc++.so.6 2>/dev/null | head -1 || true)
if [ -n "$libstdcxx" ] && ! grep -q GLIBCXX_3.4.32 "$libstdcxx"; then
  built=$(find bin -name libLibTorchSharp.so | head -1)
  cached=$(find "$packages/torchsharp" -path '*linux-x64*' -name libLibTorchSharp.so | head -1)
  if cmp -s "$built" "$cached"; then echo "FAIL: $built was not patched for this libstdc++"; exit 1; fi
  echo "   libLibTorchSharp.so patched by the package's buildTransitive step ($(cmp -l "$built" "$cached" | wc -l) byte differs from the NuGet cache)"
fi
echo "== run on $case_dir"
dotnet bin/Debug/net10.0/app.dll "$case_dir"
