#!/usr/bin/env bash
# Start (or find already running) the test Docker engine and build the test images.
# Idempotent: a second call with the engine up and the images present only says so.
# Prints `export DOCKER_HOST=...` as its last line.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/common.sh"

missing=()
for tool in dockerd docker docker-compose; do
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
    say "starting dockerd (vfs, no iptables, default bridge) under $RECONCILE_DOCKER_DIR"
    # setsid: the engine outlives this script and is not killed with the caller's process group.
    setsid dockerd \
        --storage-driver vfs --iptables=false \
        --data-root "$RECONCILE_DOCKER_DIR/data" --exec-root "$RECONCILE_DOCKER_DIR/exec" \
        --host "unix://$RECONCILE_DOCKER_SOCK" --pidfile "$RECONCILE_DOCKER_PIDFILE" \
        >"$RECONCILE_DOCKER_LOG" 2>&1 </dev/null &
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

# Images are built with `docker import` from local binaries: nothing can be pulled here.
build_image() { # name rootfs-dir
    tar -C "$2" -c . | docker import --change 'ENV HOME=/tmp' --change 'ENV PATH=/bin:/usr/bin' - "$1" >/dev/null
}

if ! docker image inspect "$RECONCILE_CADDY_IMAGE" >/dev/null 2>&1; then
    root="$(mktemp -d)"
    mkdir -p "$root/usr/bin" "$root/etc/caddy" "$root/tmp" "$root/data" "$root/config"
    cp /usr/bin/caddy "$root/usr/bin/caddy"
    # Caddy's shared libraries, at the paths the dynamic loader expects.
    for lib in $(ldd /usr/bin/caddy | grep -o '/[^ ]*'); do
        mkdir -p "$root$(dirname "$lib")"
        cp -L "$lib" "$root$lib"
    done
    build_image "$RECONCILE_CADDY_IMAGE" "$root"
    rm -rf "$root"
    say "built $RECONCILE_CADDY_IMAGE from /usr/bin/caddy"
else
    say "image $RECONCILE_CADDY_IMAGE present"
fi

if ! docker image inspect "$RECONCILE_UPSTREAM_IMAGE" >/dev/null 2>&1; then
    root="$(mktemp -d)"
    mkdir -p "$root/bin" "$root/www" "$root/tmp"
    cp /bin/busybox "$root/bin/busybox"
    echo "upstream ok" >"$root/www/index.html"
    build_image "$RECONCILE_UPSTREAM_IMAGE" "$root"
    rm -rf "$root"
    say "built $RECONCILE_UPSTREAM_IMAGE from /bin/busybox (static)"
else
    say "image $RECONCILE_UPSTREAM_IMAGE present"
fi

echo "export DOCKER_HOST=unix://$RECONCILE_DOCKER_SOCK"
