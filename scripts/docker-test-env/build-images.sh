#!/usr/bin/env bash
# Build the test images in the engine DOCKER_HOST points at, with `docker import` from local binaries
# (nothing can be pulled here). Idempotent: an image already present is left alone.
#   reconcile-test/caddy:TAG     Debian's /usr/bin/caddy and the libraries ldd lists
#   reconcile-test/upstream:TAG  Debian's static /bin/busybox (httpd, sleep) and /www/index.html
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/common.sh"

import_dir() { # image rootfs-dir
    tar -C "$2" -c . | docker import --change 'ENV HOME=/tmp' --change 'ENV PATH=/bin:/usr/bin' - "$1" >/dev/null
}

if ! docker image inspect "$RECONCILE_CADDY_IMAGE" >/dev/null 2>&1; then
    root="$(mktemp -d)"
    trap 'rm -rf "$root"' EXIT
    mkdir -p "$root/usr/bin" "$root/etc/caddy" "$root/tmp" "$root/data" "$root/config"
    cp /usr/bin/caddy "$root/usr/bin/caddy"
    for lib in $(ldd /usr/bin/caddy | grep -o '/[^ ]*'); do
        mkdir -p "$root$(dirname "$lib")"
        cp -L "$lib" "$root$lib"
    done
    import_dir "$RECONCILE_CADDY_IMAGE" "$root"
    rm -rf "$root"
    say "built $RECONCILE_CADDY_IMAGE from /usr/bin/caddy"
else
    say "image $RECONCILE_CADDY_IMAGE present"
fi

if ! docker image inspect "$RECONCILE_UPSTREAM_IMAGE" >/dev/null 2>&1; then
    root="$(mktemp -d)"
    trap 'rm -rf "$root"' EXIT
    mkdir -p "$root/bin" "$root/www" "$root/tmp"
    cp /bin/busybox "$root/bin/busybox"
    echo "upstream ok" >"$root/www/index.html"
    import_dir "$RECONCILE_UPSTREAM_IMAGE" "$root"
    rm -rf "$root"
    say "built $RECONCILE_UPSTREAM_IMAGE from /bin/busybox (static)"
else
    say "image $RECONCILE_UPSTREAM_IMAGE present"
fi
