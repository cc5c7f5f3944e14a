#!/usr/bin/env bash
# Build the test images in the engine DOCKER_HOST points at, with `docker import` from local binaries
# (nothing can be pulled here). Idempotent: an image already present is left alone.
#   reconcile-test/caddy:TAG     Debian's /usr/bin/caddy and the libraries ldd lists
#   reconcile-test/upstream:TAG  Debian's static /bin/busybox (httpd, sleep) and /www/index.html
#   caddy:latest                 the official static Caddy 2.11.7 (install-test-tools.sh), laid out and started
#                                like the official image, so the OS's own compose file runs unedited
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

# An image laid out and started as the official caddy image is, from one static Caddy binary:
# import_official_caddy BINARY TAG [EXTRA --change INSTRUCTION]
import_official_caddy() {
    local root
    root="$(mktemp -d)"
    mkdir -p "$root/usr/bin" "$root/etc/caddy" "$root/tmp" "$root/data" "$root/config" "$root/srv"
    cp "$1" "$root/usr/bin/caddy"
    local extra=()
    [ -z "${3:-}" ] || extra=(--change "$3")
    tar -C "$root" -c . | docker import \
        --change 'ENV HOME=/tmp' --change 'ENV PATH=/usr/bin:/bin' \
        --change 'ENV XDG_CONFIG_HOME=/config' --change 'ENV XDG_DATA_HOME=/data' \
        --change 'WORKDIR /srv' --change "LABEL org.reconcile.caddy-version=$caddy_latest_version" \
        "${extra[@]}" \
        --change 'CMD ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]' \
        - "$2" >/dev/null
    rm -rf "$root"
}

# caddy:latest as the official image is: /usr/bin/caddy, XDG dirs /config and /data, workdir /srv, and
# `caddy run --config /etc/caddy/Caddyfile --adapter caddyfile`. Its label names the version, so an image
# of another Caddy under that tag is replaced.
caddy_latest_version=2.11.7
caddy_latest_binary="${RECONCILE_CADDY_2_11:-/usr/local/lib/reconcile-test/caddy-$caddy_latest_version/caddy}"
# (An arm64 caddy:latest left by an interrupted ReleaseImageArm64Tests is replaced too.)
if [ "$(docker image inspect --format '{{index .Config.Labels "org.reconcile.caddy-version"}} {{index .Config.Labels "org.reconcile.caddy-arch"}}' caddy:latest 2>/dev/null)" != "$caddy_latest_version " ]; then
    if [ ! -x "$caddy_latest_binary" ]; then
        say "no Caddy $caddy_latest_version at $caddy_latest_binary: run scripts/install-test-tools.sh"
        exit 1
    fi
    import_official_caddy "$caddy_latest_binary" caddy:latest
    say "built caddy:latest from Caddy $caddy_latest_version ($caddy_latest_binary)"
else
    say "image caddy:latest (Caddy $caddy_latest_version) present"
fi

# reconcile-test/caddy-arm64:2.11.7: the same, from the aarch64 Caddy (install-test-tools.sh), run through qemu-aarch64
# (binfmt, flag F). ReleaseImageArm64Tests tags it caddy:latest for its one scenario and tags the amd64 one back after.
caddy_arm64_image="reconcile-test/caddy-arm64:$caddy_latest_version"
caddy_arm64_binary="${RECONCILE_CADDY_2_11_ARM64:-/usr/local/lib/reconcile-test/caddy-$caddy_latest_version-arm64/caddy}"
if docker image inspect "$caddy_arm64_image" >/dev/null 2>&1; then
    say "image $caddy_arm64_image present"
elif [ -x "$caddy_arm64_binary" ]; then
    import_official_caddy "$caddy_arm64_binary" "$caddy_arm64_image" 'LABEL org.reconcile.caddy-arch=arm64'
    say "built $caddy_arm64_image from the aarch64 Caddy $caddy_latest_version ($caddy_arm64_binary)"
fi
# reconcile-test/hostroot:TAG: an empty root whose /bin, /lib, /lib64 and /sbin point into /usr, for a
# container that bind-mounts the host's /usr (and an interpreter's folder) read-only: the real Home
# Assistant of scripts/ha-test-env as the gateway's `homeassistant` compose service (host networking).
hostroot_image="reconcile-test/hostroot:$RECONCILE_TEST_IMAGE_TAG"
if ! docker image inspect "$hostroot_image" >/dev/null 2>&1; then
    root="$(mktemp -d)"
    trap 'rm -rf "$root"' EXIT
    mkdir -p "$root/usr" "$root/etc" "$root/tmp" "$root/root" "$root/config" "$root/var/tmp"
    chmod 1777 "$root/tmp" "$root/var/tmp"
    for link in bin lib lib64 sbin; do ln -s "usr/$link" "$root/$link"; done
    import_dir "$hostroot_image" "$root"
    rm -rf "$root"
    say "built $hostroot_image (a root for the host's /usr)"
else
    say "image $hostroot_image present"
fi
