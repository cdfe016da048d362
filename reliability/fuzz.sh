#!/usr/bin/env bash
# Fuzzing (cargo-fuzz, libFuzzer) of the parsers that take untrusted text: each target in
# fuzz/fuzz_targets/ runs for a fixed time, seeded from fuzz/seeds/<target>/ (committed),
# and must not panic or break its asserted properties:
#   personal_number  PersonalNumber::parse never panics; what it accepts re-parses equal
#   cursor           pagination cursors: any text is an id or an error; encode/decode
#                    round-trips; a foreign scope, a changed character or a cut is refused
#   import_line      the person import file parser: never panics; what it accepts is
#                    bounded, in file order, no number twice; every error names a line
# Runs on stable Rust:
# `--sanitizer none` needs no nightly (no AddressSanitizer, which safe Rust has little need
# of); debug assertions are on, so arithmetic overflow is a crash too. Installs cargo-fuzz
# when it is missing.
#
#   bash reliability/fuzz.sh                       # 20 s per target (CI)
#   bash reliability/fuzz.sh 600                   # 10 min per target, by hand
#   bash reliability/fuzz.sh 3600 personal_number  # one target for an hour
#
# Builds into fuzz/target (git-ignored, kept between runs); each run's libFuzzer output is
# left in fuzz/target/fuzz-logs/<target>.log. New inputs go to fuzz/corpus/ (git-ignored; a
# longer run picks up where the last one stopped). A crash exits 1 and prints the failure,
# the input saved under fuzz/artifacts/<target>/ and the command that replays it.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-20}
shift || true
if [ $# -gt 0 ]; then targets=("$@"); else targets=(personal_number cursor import_line); fi
# The same flags for the build and every run, so the runs reuse the build.
flags=(--sanitizer none --debug-assertions)

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
root=$PWD
cd fuzz
cargo fuzz build "${flags[@]}"

logs=target/fuzz-logs
mkdir -p "$logs"
failed=()
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target"
    echo "fuzz: $target for ${seconds}s"
    # The first corpus directory receives new inputs; the seeds are only read.
    if cargo fuzz run "${flags[@]}" "$target" "$root/fuzz/corpus/$target" "$root/fuzz/seeds/$target" \
        -- -max_total_time="$seconds" -print_final_stats=1 >"$logs/$target.log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$logs/$target.log")
        echo "fuzz: $target: ${runs:-?} executions, no crash; corpus $(ls "corpus/$target" | wc -l) inputs"
    else
        # From the panic (or libFuzzer's own error) on; the whole output stays in the log.
        failure=$(awk '/panicked at|ERROR: libFuzzer|deadly signal/ { on = 1 } on && n++ < 60' "$logs/$target.log")
        echo "${failure:-$(tail -n 40 "$logs/$target.log")}" >&2
        artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$logs/$target.log" | tail -n 1)
        echo "fuzz: $target FAILED; input saved as ${artifact:-(none: see the output above)}" >&2
        [ -n "$artifact" ] && echo "fuzz: replay with: (cd fuzz && cargo fuzz run ${flags[*]} $target $artifact)" >&2
        failed+=("$target")
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: crashed: ${failed[*]}" >&2
    exit 1
fi
