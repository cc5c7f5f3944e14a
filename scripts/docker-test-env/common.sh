# Shared settings for the test Docker engine. Sourced by start.sh, stop.sh and status.sh.
# The engine lives entirely under one folder so it never touches a system dockerd:
# its own data root, exec root, pidfile and socket.
RECONCILE_DOCKER_DIR="${RECONCILE_DOCKER_DIR:-/tmp/reconcile-docker}"
RECONCILE_DOCKER_SOCK="$RECONCILE_DOCKER_DIR/docker.sock"
RECONCILE_DOCKER_PIDFILE="$RECONCILE_DOCKER_DIR/dockerd.pid"
RECONCILE_DOCKER_LOG="$RECONCILE_DOCKER_DIR/dockerd.log"
# Several test engines may run side by side (one per work tree): each gets its own default bridge and
# address pool, chosen by RECONCILE_DOCKER_NET (0-5), all inside 172.16.0.0/12 (the range Home Assistant
# trusts by default, as the gateway's caddy network is). The bridge is made here with a fixed address,
# so host-gateway and the tests know it from the first start: on a machine where Docker never ran,
# dockerd's own docker0 reports its IPAM config without a Gateway (issue #14).
RECONCILE_DOCKER_NET="${RECONCILE_DOCKER_NET:-0}"
case "$RECONCILE_DOCKER_NET" in [0-5]) ;; *) echo "docker-test-env: RECONCILE_DOCKER_NET must be 0-5" >&2; exit 2 ;; esac
RECONCILE_DOCKER_BRIDGE="rcbr$RECONCILE_DOCKER_NET"
RECONCILE_DOCKER_BRIDGE_ADDRESS="172.$((18 + RECONCILE_DOCKER_NET)).0.1"
RECONCILE_DOCKER_BRIDGE_CIDR="$RECONCILE_DOCKER_BRIDGE_ADDRESS/16"
RECONCILE_DOCKER_POOL="172.$((26 + RECONCILE_DOCKER_NET)).0.0/16"
# Bump when the image contents below change, so an old engine folder gets the new images.
RECONCILE_TEST_IMAGE_TAG="1"
RECONCILE_CADDY_IMAGE="reconcile-test/caddy:$RECONCILE_TEST_IMAGE_TAG"
RECONCILE_UPSTREAM_IMAGE="reconcile-test/upstream:$RECONCILE_TEST_IMAGE_TAG"

say() { echo "docker-test-env: $*"; }

engine_alive() {
    docker -H "unix://$RECONCILE_DOCKER_SOCK" version --format '{{.Server.Version}}' >/dev/null 2>&1
}
