#!/usr/bin/env bash
# Start (or find already running) the test Docker engine and build the test images.
# Idempotent: a second call with the engine up and the images present only says so.
# Prints `export DOCKER_HOST=...` as its last line.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/common.sh"

missing=()
for tool in dockerd docker docker-compose ip; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ -x /bin/busybox ] || missing+=("/bin/busybox")
[ -x /usr/bin/caddy ] || missing+=("/usr/bin/caddy")
if [ "${#missing[@]}" -gt 0 ]; then
    say "missing: ${missing[*]}"
    say "install with: apt-get install -y docker.io docker-compose busybox-static caddy"
    exit 1
fi
if [ "$(id -u)" != 0 ]; then
    say "dockerd needs root"; exit 1
fi

mkdir -p "$RECONCILE_DOCKER_DIR"
if engine_alive; then
    say "engine already running (pid $(cat "$RECONCILE_DOCKER_PIDFILE" 2>/dev/null || echo '?'), socket $RECONCILE_DOCKER_SOCK)"
else
    # A stale pidfile from a killed run would make dockerd refuse to start.
    if [ -f "$RECONCILE_DOCKER_PIDFILE" ] && ! kill -0 "$(cat "$RECONCILE_DOCKER_PIDFILE")" 2>/dev/null; then
        rm -f "$RECONCILE_DOCKER_PIDFILE"
    fi
    # The engine's default bridge: ours, with a fixed address (see common.sh).
    if ! ip link show "$RECONCILE_DOCKER_BRIDGE" >/dev/null 2>&1; then
        ip link add name "$RECONCILE_DOCKER_BRIDGE" type bridge
    fi
    if ! ip -4 -o addr show dev "$RECONCILE_DOCKER_BRIDGE" | grep -q " $RECONCILE_DOCKER_BRIDGE_CIDR "; then
        ip addr flush dev "$RECONCILE_DOCKER_BRIDGE"
        ip addr add "$RECONCILE_DOCKER_BRIDGE_CIDR" dev "$RECONCILE_DOCKER_BRIDGE"
    fi
    ip link set "$RECONCILE_DOCKER_BRIDGE" up
    say "starting dockerd (vfs, no iptables, bridge $RECONCILE_DOCKER_BRIDGE $RECONCILE_DOCKER_BRIDGE_CIDR, pool $RECONCILE_DOCKER_POOL) under $RECONCILE_DOCKER_DIR"
    (
        # The engine must hold none of the caller's descriptors: a caller that waits for EOF on one
        # (Foundation's Process does, for exit; so may a CI runner on its output) would wait forever.
        for fd in /proc/self/fd/*; do
            fd="${fd##*/}"
            [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-" 2>/dev/null
        done
        # setsid: the engine outlives this script and is not killed with the caller's process group.
        exec setsid dockerd \
            --storage-driver vfs --iptables=false \
            --bridge "$RECONCILE_DOCKER_BRIDGE" --default-address-pool "base=$RECONCILE_DOCKER_POOL,size=24" \
            --data-root "$RECONCILE_DOCKER_DIR/data" --exec-root "$RECONCILE_DOCKER_DIR/exec" \
            --host "unix://$RECONCILE_DOCKER_SOCK" --pidfile "$RECONCILE_DOCKER_PIDFILE" \
            >"$RECONCILE_DOCKER_LOG" 2>&1 </dev/null
    ) &
    for _ in $(seq 1 150); do
        engine_alive && break
        sleep 0.2
    done
    if ! engine_alive; then
        say "dockerd did not answer within 30 s; last lines of $RECONCILE_DOCKER_LOG:"
        tail -n 20 "$RECONCILE_DOCKER_LOG" || true
        exit 1
    fi
    say "engine up (pid $(cat "$RECONCILE_DOCKER_PIDFILE"))"
fi

export DOCKER_HOST="unix://$RECONCILE_DOCKER_SOCK"

"$here/build-images.sh"

# For the tests: where host.docker.internal:host-gateway points in this engine.
echo "$RECONCILE_DOCKER_BRIDGE_ADDRESS" >"$RECONCILE_DOCKER_DIR/bridge-address"
echo "export DOCKER_HOST=unix://$RECONCILE_DOCKER_SOCK"
