#!/usr/bin/env bash
# Runs every libFuzzer target of Fuzz/ (see Fuzz/Package.swift) for a while each.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     default 60 s each, every target
#   scripts/fuzz.sh --total SECONDS [TARGET...]          the time shared evenly
#   scripts/fuzz.sh --runs N [TARGET...]                 N inputs per target from seed 1 (what CI runs):
#                                                        the same inputs on every machine, so a run that
#                                                        passes here passes in CI; new ground is for a timed run
#
# Each target first replays Fuzz/Regressions/TARGET/* (inputs that once crashed), then fuzzes from
# seeds: Fuzz/Corpus/TARGET/, the test fixtures and ../shared/conformance/. The growing corpus and any
# crash-* input stay in .build-fuzz/ (not in git). A crash fails the script: fix it, then commit the
# input to Fuzz/Regressions/TARGET/ and add an XCTest that reproduces it.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
shared=${RECONCILE_SHARED_DIR:-$root/../shared}
scratch=$root/.build-fuzz
# A property failure is a fatalError: let libFuzzer report it, without Swift's backtracer (ASan flags it).
export SWIFT_BACKTRACE=enable=no

per_target=60
total=
input_count=
fixed_layout=()
if [[ ${1:-} == --total ]]; then total=$2; shift 2
elif [[ ${1:-} == --runs ]]; then input_count=$2; shift 2
elif [[ ${1:-} =~ ^[0-9]+$ ]]; then per_target=$1; shift; fi

echo "fuzz: building the targets (libFuzzer + AddressSanitizer) into $scratch"
# SwiftPM caches the list of a path dependency's source files with the build plan, and replans only when
# a manifest changes: touching ours makes it see files added to the root package since the last build.
touch Fuzz/Package.swift
set +e
swift build --package-path Fuzz --scratch-path "$scratch" -c debug \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library 2>&1 | grep -v "Cannot export local symbol"
built=${PIPESTATUS[0]}
set -e
(( built == 0 )) || { echo "fuzz: the fuzz targets did not build"; exit 1; }
bin=$scratch/debug

targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
    for dir in Fuzz/Sources/fuzz-*; do targets+=("$(basename "$dir")"); done
fi
if [[ -n $total ]]; then per_target=$(( total / ${#targets[@]} )); (( per_target > 0 )) || per_target=1; fi
for target in "${targets[@]}"; do
    [[ -x $bin/$target ]] || { echo "fuzz: $target was not built (is it listed in Fuzz/Package.swift?)"; exit 1; }
done

# Seeds from elsewhere in the tree, per target (globs; missing ones are reported and skipped).
seeds_for() {
    case $1 in
        fuzz-caddyfile) echo "Tests/CaddyfileTests/Fixtures/*.Caddyfile $shared/conformance/caddy-adapt/*.Caddyfile example-gateway/usr/local/caddy/Caddyfile" ;;
        fuzz-yaml) echo "$shared/conformance/yaml-suite/*.yaml Tests/HomeAssistantTests/Fixtures/*.yaml example-gateway/usr/local/homeassistant/configuration.yaml example-gateway/home/root/mapio/docker-compose.yml example-repo/exposure.yaml" ;;
        fuzz-desired-state) echo "example-repo/exposure.yaml" ;;
        fuzz-storage-json) echo "Tests/HomeAssistantTests/Fixtures/*.json" ;;
        *) echo "" ;;
    esac
}

status=0
summary=()
for target in "${targets[@]}"; do
    corpus=$scratch/corpus/$target
    artifacts=$scratch/artifacts/$target
    mkdir -p "$corpus" "$artifacts"
    seeds=$scratch/seeds/$target
    rm -rf "$seeds"; mkdir -p "$seeds"
    [[ -d Fuzz/Corpus/$target ]] && cp Fuzz/Corpus/"$target"/* "$seeds"/ 2>/dev/null || true
    for pattern in $(seeds_for "$target"); do
        found=0
        for file in $pattern; do
            # Named by where they are in the tree, not on this machine, so every machine reads them in one order.
            name=${file#"$shared"/}; [[ $name != "$file" ]] && name=shared/$name
            [[ -f $file ]] && { cp "$file" "$seeds/$(echo "$name" | tr '/' '_')"; found=1; }
        done
        (( found )) || echo "fuzz: $target: no seed matches $pattern (skipped)"
    done
    # RECONCILE_FUZZ_SEED fixes libFuzzer's seed (CI), so a run explores about the same inputs each time.
    seed=()
    [[ -n ${RECONCILE_FUZZ_SEED:-} ]] && seed=(-seed="$RECONCILE_FUZZ_SEED")
    # A fixed number of inputs from a fixed seed and an empty corpus: libFuzzer then runs exactly the same
    # inputs each time (a timed run depends on the machine's speed). The time is only a safety cap.
    limit=(-max_total_time="$per_target")
    if [[ -n $input_count ]]; then
        seed=(-seed="${RECONCILE_FUZZ_SEED:-1}")
        export SWIFT_DETERMINISTIC_HASHING=1   # else Set and Dictionary order, so coverage, differs per process
        export RECONCILE_CORES=1               # Parallel.map inline: coverage counters race between threads
        # No re-reading the corpus by the clock, and no comparison operands (they hold pointers, which
        # differ with the address layout); setarch turns address randomisation off for the rest.
        limit=(-runs="$input_count" -max_total_time=300 -reload=0 -use_cmp=0)
        setarch $(uname -m) -R true 2>/dev/null && fixed_layout=(setarch "$(uname -m)" -R)
        rm -rf "$corpus"; mkdir -p "$corpus"
    fi
    dict=()
    [[ -f Fuzz/Dictionaries/$target.dict ]] && dict=(-dict="Fuzz/Dictionaries/$target.dict")

    regressions=(Fuzz/Regressions/"$target"/*)
    if [[ -e ${regressions[0]} ]]; then
        echo "fuzz: $target: replaying ${#regressions[@]} regression input(s)"
        if ! "$bin/$target" -runs=1 "${regressions[@]}" > "$scratch/$target.regressions.log" 2>&1; then
            echo "fuzz: $target: a regression input fails again:"; tail -30 "$scratch/$target.regressions.log"; status=1; continue
        fi
    fi

    budget="$per_target s"; [[ -n $input_count ]] && budget="$input_count inputs from seed ${RECONCILE_FUZZ_SEED:-1}"
    echo "fuzz: $target: $budget, seeds $(ls "$seeds" | wc -l), corpus $(ls "$corpus" | wc -l)"
    log=$scratch/$target.log
    set +e
    # Seeds as a sorted list: a directory is read in the file system's order, which differs between machines.
    seed_list=$scratch/seeds/$target.list
    ls "$seeds" | LC_ALL=C sort | sed "s|^|$seeds/|" | paste -sd, > "$seed_list"
    "${fixed_layout[@]}" "$bin/$target" "$corpus" -seed_inputs=@"$seed_list" "${dict[@]}" "${seed[@]}" "${limit[@]}" -timeout=10 -rss_limit_mb=2048 \
        -max_len=65536 -print_final_stats=1 -artifact_prefix="$artifacts/" > "$log" 2>&1
    rc=$?
    set -e
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    if (( rc != 0 )); then
        echo "fuzz: $target FAILED (exit $rc) after $runs executions:"; grep -E "property violated|ERROR|SUMMARY|Fatal error|Test unit written" "$log" | head -20
        status=1
        summary+=("$target: FAILED after $runs executions (budget: $budget; log: $log)")
    else
        summary+=("$target: $runs executions ($budget), no crash; corpus now $(ls "$corpus" | wc -l) inputs")
    fi
done
echo "fuzz summary:"
printf '  %s\n' "${summary[@]}"
exit $status
