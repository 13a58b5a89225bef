#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Install the Debian 12 packages migscope needs, when any is missing.
#   scripts/deps.sh           install what is missing (root), else print the
#                             apt-get line and fail
#   scripts/deps.sh --check   only report what is missing
set -eu

PKGS="build-essential pkg-config bc bison flex libelf-dev libssl-dev cpio
xz-utils kmod rsync ccache python3 python3-ply python3-git python3-jsonschema jq
linux-source-6.12 trace-cmd libtracecmd-dev libtraceevent-dev
libtracefs-dev libjansson-dev libcmocka-dev gnuplot-nox qemu-system-x86
busybox-static clang libclang-rt-14-dev libzstd-dev zlib1g-dev"

missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done

if [ -z "$missing" ]; then
	echo "deps: all $(echo $PKGS | wc -w) packages present"
	exit 0
fi
if [ "${1:-}" = "--check" ]; then
	echo "deps: missing:$missing"
	exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages; as root run:" >&2
	echo "  apt-get update && apt-get install -y --no-install-recommends$missing" >&2
	exit 1
fi
echo "deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
