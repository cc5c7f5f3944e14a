#!/usr/bin/env bash
# Prints the Debian mirror this machine's apt already uses (the URI its main Debian suite comes from), so
# that a second suite (sid, for tools Debian 12 lacks) is read from the same place with the same keyring.
# Sourced or run: `mirror=$(bash scripts/debian-mirror.sh)`. Fails when no Debian source is configured.
set -euo pipefail
uri=
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    uri=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)
fi
if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' /etc/apt/sources.list)
fi
[ -n "$uri" ] || { echo "debian-mirror: no Debian source in /etc/apt/sources.list(.d)" >&2; exit 1; }
echo "${uri%/}"
