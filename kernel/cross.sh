#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kernel/cross.sh [ARCH...]   (make kernel-cross)
#
# Cross-compile the files of the series for other architectures, with
# the architecture's defconfig plus kernel/config/cross.config (THP, NUMA,
# tracing, mtcopy, dcbm, swdma): mm/migrate.o, drivers/migoffcopy/ and
# drivers/dma/swdma.o, warnings as errors. ARCH: arm64 (default) and
# powerpc (ppc64le; HPAGE_PMD_NR is not a constant there).
# Needs gcc-aarch64-linux-gnu and gcc-powerpc64le-linux-gnu. The source is
# build/linux with the series applied (kernel/build.sh does that), checked
# out clean into build/cross/src for out-of-tree builds.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${MIGSCOPE_BUILD:-$top/build}
src=$build/linux
cross=$build/cross
fragment=$top/kernel/config/cross.config
jobs=${JOBS:-$(nproc)}

die() { echo "kernel/cross.sh: $*" >&2; exit 1; }
say() { echo "kernel/cross.sh: $*" >&2; }

toolchain() {
	case $1 in
	arm64) echo aarch64-linux-gnu- ;;
	powerpc) echo powerpc64le-linux-gnu- ;;
	*) die "unknown ARCH '$1' (arm64, powerpc)" ;;
	esac
}

defconfig() {
	case $1 in
	arm64) echo defconfig ;;
	powerpc) echo ppc64le_defconfig ;;
	esac
}

# A clean checkout of the patched tree (the in-tree x86 build is not).
checkout() {
	local head

	[ -d "$src/.git" ] || die "no $src: run kernel/build.sh first"
	head=$(git -C "$src" rev-parse migscope)
	if [ -d "$cross/src" ] &&
	   [ "$(git -C "$cross/src" rev-parse HEAD 2>/dev/null)" = "$head" ]; then
		return
	fi
	say "checking out the series ($head) into $cross/src"
	git -C "$src" worktree remove --force "$cross/src" 2>/dev/null || true
	rm -rf "$cross/src"
	git -C "$src" worktree prune
	git -C "$src" worktree add -q --detach "$cross/src" "$head"
}

kmake() {
	local arch=$1 cc

	shift
	cc="$(toolchain "$arch")gcc"
	command -v ccache >/dev/null && cc="ccache $cc"
	make -s -C "$cross/src" O="$cross/$arch" ARCH="$arch" \
		CROSS_COMPILE="$(toolchain "$arch")" CC="$cc" -j"$jobs" "$@"
}

configure() {
	local arch=$1 line missing=0

	kmake "$arch" "$(defconfig "$arch")" >/dev/null
	(cd "$cross/$arch" && "$cross/src/scripts/kconfig/merge_config.sh" \
		-m -O . .config "$fragment" >/dev/null)
	kmake "$arch" olddefconfig >/dev/null
	while read -r line; do
		case "$line" in ''|'#'*) continue ;; esac
		if ! grep -qxF -- "$line" "$cross/$arch/.config"; then
			say "$arch: '$line' did not survive olddefconfig"
			missing=1
		fi
	done < "$fragment"
	[ $missing -eq 0 ] || die "$arch: fix kernel/config/cross.config"
}

build_arch() {
	local arch=$1 log=$cross/$1.log

	command -v "$(toolchain "$arch")gcc" >/dev/null ||
		die "no $(toolchain "$arch")gcc: apt-get install gcc-$(toolchain "$arch" | sed 's/-$//')"
	mkdir -p "$cross/$arch"
	say "$arch: $(defconfig "$arch") + kernel/config/cross.config"
	configure "$arch"
	say "$arch: building mm/migrate.o drivers/migoffcopy/ drivers/dma/swdma.o (log: $log)"
	if ! kmake "$arch" KCFLAGS=-Werror mm/migrate.o drivers/migoffcopy/ \
		drivers/dma/swdma.o >"$log" 2>&1; then
		tail -n 30 "$log" >&2
		die "$arch: the series does not build; see $log"
	fi
	say "$arch: ok"
}

main() {
	local arch

	[ $# -gt 0 ] || set -- arm64 powerpc
	mkdir -p "$cross"
	checkout
	for arch in "$@"; do
		toolchain "$arch" >/dev/null
		build_arch "$arch"
	done
}

main "$@"
