# Shared settings for the test Docker engine. Sourced by start.sh, stop.sh and status.sh.
# The engine lives entirely under one folder so it never touches a system dockerd:
# its own data root, exec root, pidfile and socket.
RECONCILE_DOCKER_DIR="${RECONCILE_DOCKER_DIR:-/tmp/reconcile-docker}"
RECONCILE_DOCKER_SOCK="$RECONCILE_DOCKER_DIR/docker.sock"
RECONCILE_DOCKER_PIDFILE="$RECONCILE_DOCKER_DIR/dockerd.pid"
RECONCILE_DOCKER_LOG="$RECONCILE_DOCKER_DIR/dockerd.log"
# Bump when the image contents below change, so an old engine folder gets the new images.
RECONCILE_TEST_IMAGE_TAG="1"
RECONCILE_CADDY_IMAGE="reconcile-test/caddy:$RECONCILE_TEST_IMAGE_TAG"
RECONCILE_UPSTREAM_IMAGE="reconcile-test/upstream:$RECONCILE_TEST_IMAGE_TAG"

say() { echo "docker-test-env: $*"; }

engine_alive() {
    docker -H "unix://$RECONCILE_DOCKER_SOCK" version --format '{{.Server.Version}}' >/dev/null 2>&1
}
