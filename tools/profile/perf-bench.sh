#!/usr/bin/env bash
# Where a benchmark's time goes, by native library and by symbol, with Linux perf (CPU sampling, no instrumentation).
#
#   tools/profile/perf-bench.sh BUILTIN BATCH [ITERATIONS]     e.g.  tools/profile/perf-bench.sh transformer 1 20000
#
# Runs `kerasport bench --builtin BUILTIN --batch BATCH --threads 1 --no-ort` (KerasPort alone, after 2 s of warm-up)
# under `perf record`, then prints the share of samples per library and the hottest symbols. .NET writes a perf map
# (DOTNET_PerfMapEnabled) so JIT-compiled C# methods show by name; "[JIT] tid N" lines left unnamed are code that
# oneDNN generates at run time (its convolution and RNN kernels). Warm-up and model loading are in the samples too:
# use enough iterations that the timed passes dominate. Needs `perf` (Debian: apt-get install linux-perf) and
# kernel.perf_event_paranoid <= 2.
set -euo pipefail
builtin=${1:?usage: perf-bench.sh BUILTIN BATCH [ITERATIONS]}
batch=${2:?usage: perf-bench.sh BUILTIN BATCH [ITERATIONS]}
iterations=${3:-2000}
root=$(cd "$(dirname "$0")/../.." && pwd)
dotnet build -c Release "$root/tools/kerasport" -v q -nologo >/dev/null
data=$(mktemp --suffix=.perf.data)
trap 'rm -f "$data"' EXIT
DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 perf record -q -F 2000 -g -o "$data" -- \
  dotnet "$root/tools/kerasport/bin/Release/net10.0/kerasport.dll" bench --builtin "$builtin" --batch "$batch" \
  --threads 1 --iterations "$iterations" --warmup-seconds 2 --no-ort | grep -E '^(model|kerasport) '
echo "== share of samples by library"
perf report -i "$data" --no-children --sort dso -g none 2>/dev/null | grep -E '^ +[0-9]' | head -10
symbols=$(perf report -i "$data" --no-children --sort dso,sym -g none 2>/dev/null | grep -E '^ +[0-9]')
echo "== code generated at run time without a name (oneDNN's JIT kernels): $(grep -E '\[JIT\] tid [0-9]+ +\[\.\] 0x' <<<"$symbols" | awk '{s += $1} END {printf "%.2f%%", s}')"
echo "== hottest named symbols (libtorch's element-wise loops shown by kernel name)"
grep -vE '\[JIT\] tid [0-9]+ +\[\.\] 0x' <<<"$symbols" \
  | perl -pe 's/c10::function_ref<void \(char\*\*, long const\*, long, long\)>::callback_fn<at::native::(\w+)::VectorizedLoop2d<at::native::(?:\(anonymous namespace\)::)?(?:\w+::)?(\w+).*/element-wise $2 ($1)/; s/c10::function_ref<void \(char\*\*, long const\*, long, long\)>::callback_fn<at::native::(?:\(anonymous namespace\)::)?(\w+).*/loop $1/' \
  | head -20 | cut -c1-160
