#!/usr/bin/env bash
# Writes scripts/reconcile.order: the functions the `reconcile serve` daemon runs from start to idle
# (the startup reconcile against a real Caddy, as `reconcile-bench serve` runs it), in the order
# callgrind first reports them. Package.swift hands the file to lld (--symbol-ordering-file) for the
# release binary, so that code sits together instead of being spread over 24 MB of .text, of which the
# kernel would then map most in 64 KB fault-around blocks (issue #8: idle memory, target 30 MiB).
# Rerun after large changes; a stale file only costs memory, never correctness.
# Needs: valgrind, caddy, curl. Takes about a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product reconcile
binary=$(swift build -c release --show-bin-path)/reconcile
work=$(mktemp -d)
caddy_pid=""
trap '[ -n "$caddy_pid" ] && kill "$caddy_pid" 2>/dev/null; rm -rf "$work"' EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
admin=$(port); listen=$(port)
mkdir -p "$work/repo" "$work/gw/usr/local/caddy" "$work/gw/usr/local/homeassistant" "$work/gw/home/root/mapio" "$work/home"
printf '{\n\tadmin 127.0.0.1:%s\n\thttp_port %s\n\thttps_port %s\n\tlocal_certs\n\tskip_install_trust\n}\n' "$admin" "$(port)" "$(port)" \
    > "$work/gw/usr/local/caddy/Caddyfile"
echo "default_config:" > "$work/gw/usr/local/homeassistant/configuration.yaml"
{ echo "domain: bench.test"; echo "services:"
  for i in $(seq 0 19); do printf '  svc%s:\n    host: svc%s\n    upstream: 127.0.0.1:%s\n' "$i" "$i" $((9000 + i)); done
} > "$work/repo/exposure.yaml"
printf 'order-secret' > "$work/secret"
HOME="$work/home" XDG_DATA_HOME="$work/home/data" XDG_CONFIG_HOME="$work/home/config" \
    caddy run --config "$work/gw/usr/local/caddy/Caddyfile" >/dev/null 2>&1 &
caddy_pid=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$admin/config/" >/dev/null && break; sleep 0.1; done
# Without debug info (valgrind's reader gives up on the full one); the symbol table is what counts.
strip -g -o "$work/reconcile" "$binary"
valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" --demangle=no --dump-instr=no \
    "$work/reconcile" serve --repo "$work/repo" --root "$work/gw" --caddy-admin "127.0.0.1:$admin" \
    --compose none --ha-restart none --probe none --webhook-secret-file "$work/secret" \
    --listen "127.0.0.1:$listen" --interval 1h --burst-window 0 >"$work/daemon.log" 2>&1 &
daemon=$!
for _ in $(seq 600); do curl -fs "http://127.0.0.1:$admin/config/" | grep -q svc19.bench.test && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$admin/config/" | grep -q svc19.bench.test || { echo "the startup reconcile did not load Caddy" >&2; cat "$work/daemon.log" >&2; exit 1; }
sleep 5   # idle: timer, health, metrics set up
kill -TERM "$daemon"; wait "$daemon" || true
# Function names as callgrind first lists them, kept if the binary defines them as code.
nm --defined-only "$binary" | awk '$2 ~ /^[tTwW]$/ { print $3 }' | sort -u > "$work/defined"
sed -nE 's/^c?fn=\([0-9]+\) (.*)$/\1/p' "$work/callgrind.out" \
    | awk 'NR == FNR { defined[$1] = 1; next } ($1 in defined) && !seen[$1]++' "$work/defined" - > scripts/reconcile.order
echo "scripts/reconcile.order: $(wc -l < scripts/reconcile.order) functions"
# SwiftPM does not track the order file as a link input: relink by hand.
rm -f "$binary"
swift build -c release --product reconcile
