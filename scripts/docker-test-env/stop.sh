#!/usr/bin/env bash
# Stop the test Docker engine started by start.sh (only that one: found by its pidfile).
# Idempotent. With --purge, also delete its data root (images, containers).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/common.sh"

if [ -f "$RECONCILE_DOCKER_PIDFILE" ] && pid="$(cat "$RECONCILE_DOCKER_PIDFILE")" && kill -0 "$pid" 2>/dev/null; then
    say "stopping dockerd (pid $pid)"
    kill -TERM "$pid"
    for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
        say "dockerd still running after 20 s; sending SIGKILL"
        kill -KILL "$pid" || true
    fi
    say "stopped"
else
    say "engine not running"
fi
if [ "${1:-}" = "--purge" ]; then
    # Mounts left by a killed engine would make rm fail; unmount what lies under our folder first.
    grep -o " $RECONCILE_DOCKER_DIR/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
    rm -rf "$RECONCILE_DOCKER_DIR"
    ip link delete "$RECONCILE_DOCKER_BRIDGE" 2>/dev/null || true
    say "removed $RECONCILE_DOCKER_DIR"
fi
