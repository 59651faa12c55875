#!/usr/bin/env bash
# The README's benchmark tables in one go: every built-in model quiet (batch 1 and 32), with one busy process per
# core but one (batch 1), and called from one thread per core at once (batch 1, as a service taking concurrent
# requests), default threads, beside ONNX Runtime with its default thread count.
#
#   tools/profile/bench-all.sh [OUTPUT]      (default: bench-all.txt in the current folder)
#
# Each subject warms up for 3 s (`--warmup-seconds 3`, 1 s by default): about 30 calls in, .NET's tier-1 compilation
# takes a core for 0.1-0.3 s, and the default thread choice needs some calls after that to settle again, so the timed
# calls show the steady state a long-running service sees. Run it on an otherwise idle machine: the contended runs add
# their own busy processes (`bench --contention`), and any other load makes both kinds of run meaningless. Each run's
# full output goes to OUTPUT, its ratio lines to stdout.
set -euo pipefail
out=${1:-bench-all.txt}
root=$(cd "$(dirname "$0")/../.." && pwd)
dotnet build -c Release "$root/tools/kerasport" -v q -nologo >/dev/null
kerasport() { dotnet "$root/tools/kerasport/bin/Release/net10.0/kerasport.dll" "$@"; }
cores=$(nproc)
busy=$(( cores - 1 ))
: > "$out"
for model in resnet50 mobilenetv2 efficientnetb0 inceptionv3 transformer lstm; do
  for run in "--batch 1,32" "--batch 1 --contention $busy" "--batch 1 --concurrency $cores"; do
    echo "\$ kerasport bench --builtin $model $run --warmup-seconds 3" | tee -a "$out"
    # shellcheck disable=SC2086
    kerasport bench --builtin "$model" $run --warmup-seconds 3 | tee -a "$out" | grep -E '^(ratio|threads) '
  done
done
