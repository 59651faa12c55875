#!/usr/bin/env bash
# Coverage-guided fuzzing of KerasPort's readers with SharpFuzz + AFL++.
#   tools/fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]      (default: 60 s each for model weights npy npz index sharded)
# Needs afl-fuzz (Debian: apt-get install afl++) and the SharpFuzz instrumenter
# (dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0). Work goes to $FUZZ_OUT (default /tmp/kerasport-fuzz).
# Prints execs and findings per target; exits 1 if a crash or hang reproduces on replay, 3 if the tools are missing.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
seconds="${1:-60}"; shift || true
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(model weights npy npz index sharded)
out="${FUZZ_OUT:-/tmp/kerasport-fuzz}"
export PATH="$PATH:$HOME/.dotnet/tools"
for tool in afl-fuzz sharpfuzz; do
  command -v "$tool" >/dev/null 2>&1 || { echo "fuzz: $tool not found; see the header of $0" >&2; exit 3; }
done

rm -rf "$out"; mkdir -p "$out"
dotnet publish "$here/KerasPort.Fuzz" -c Release -o "$out/plain" --nologo -v quiet >"$out/publish.log" 2>&1 || { cat "$out/publish.log"; exit 2; }
# An instrumented copy for afl-fuzz; the plain one replays findings (instrumented code needs AFL's shared memory).
cp -r "$out/plain" "$out/bin"
# Instrument our readers and the parsers they drive (System.IO.Compression is in the shared framework and stays as is).
for dll in KerasPort.Converters.dll PureHDF.dll YamlDotNet.dll Google.Protobuf.dll; do
  sharpfuzz "$out/bin/$dll" >/dev/null || { echo "fuzz: cannot instrument $dll" >&2; exit 2; }
done

export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
status=0
for target in "${targets[@]}"; do
  afl-fuzz -V "$seconds" -t 10000 -m none -i "$here/seeds/$target" -o "$out/$target" -- dotnet "$out/bin/KerasPort.Fuzz.dll" "$target" \
    >"$out/$target.log" 2>&1
  stats="$out/$target/default/fuzzer_stats"
  [ -f "$stats" ] || { echo "fuzz: afl-fuzz did not start for $target:"; tail -20 "$out/$target.log"; status=2; continue; }
  get() { grep "^$1 " "$stats" | sed 's/.*: //'; }
  crashes=$(find "$out/$target/default/crashes" -type f ! -name README.txt 2>/dev/null | wc -l)
  hangs=$(find "$out/$target/default/hangs" -type f 2>/dev/null | wc -l)
  echo "fuzz $target: $(get execs_done) execs in $(get run_time) s, $(get corpus_count) paths, $crashes crashes, $hangs hangs"
  if [ "$crashes" -gt 0 ] || [ "$hangs" -gt 0 ]; then
    # Replay the findings uninstrumented: a finding counts when it escapes (exit 1) or hangs (timeout) there too.
    # AFL also flags inputs that replay cleanly (SharpFuzz's out-of-process server failing, e.g. at the same exec
    # count in every weights run); those are listed but do not fail the run.
    timeout 120 dotnet "$out/plain/KerasPort.Fuzz.dll" "$target" $(find "$out/$target/default/crashes" "$out/$target/default/hangs" -type f ! -name README.txt) >"$out/$target.replay" 2>&1
    replay=$?
    head -40 "$out/$target.replay"
    [ $replay -eq 124 ] && echo "fuzz $target: replay still running after 120 s (a hang); findings in $out/$target/default/{crashes,hangs}"
    if [ $replay -ne 0 ]; then status=1; else echo "fuzz $target: every finding replays as read or refused (not counted)"; fi
  fi
done
exit $status
