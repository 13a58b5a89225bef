#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the migscope test kernel: Debian's linux-source-6.12 with the
# patches of kernel/patches/series applied, configured from tinyconfig plus
# kernel/config/migscope.config.
#
#   kernel/build.sh              build (or reuse) bzImage and modules
#   kernel/build.sh --debug      the debug test kernel: the same plus
#                                kernel/config/debug.config (lockdep,
#                                atomic-sleep and list debugging, KFENCE,
#                                the hung-task detector), in
#                                build/kernel-debug-out/
#   kernel/build.sh --kasan      the debug kernel with KASAN too
#                                (kernel/config/kasan.config), in
#                                build/kernel-kasan-out/
#   kernel/build.sh --each       also build after every patch of the series
#   kernel/build.sh --checkpatch run scripts/checkpatch.pl --strict on the
#                                series and stop
#
# Outputs (build/kernel-out/): bzImage, modules/lib/modules/RELEASE/,
# release (uname -r), version.txt (what was built, shown in reports), config.
# Nothing is rebuilt when the source, the series and the config are
# unchanged. Both kernels, and the per-patch builds, share one source tree
# (build/linux) and build out of it (build/linux/.kobj-FLAVOR), so ccache
# sees the same relative paths wherever the tree is.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${MIGSCOPE_BUILD:-$top/build}
tarball=${MIGSCOPE_KERNEL_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
src=$build/linux
out=$build/kernel-out
patches=$top/kernel/patches
fragment=$top/kernel/config/migscope.config
debug_fragment=$top/kernel/config/debug.config
kasan_fragment=$top/kernel/config/kasan.config
jobs=${JOBS:-$(nproc)}
each=0
checkpatch_only=0
flavor=normal

die() { echo "kernel/build.sh: $*" >&2; exit 1; }
say() { echo "kernel/build.sh: $*" >&2; }

usage() {
	sed -n '4,16p' "$0" | sed 's/^# \{0,1\}//'
}

parse_args() {
	while [ $# -gt 0 ]; do
		case "$1" in
		--each) each=1 ;;
		--debug) flavor=debug ;;
		--kasan) flavor=kasan ;;
		--checkpatch) checkpatch_only=1 ;;
		-h|--help) usage; exit 0 ;;
		*) die "unknown option '$1' (see --help)" ;;
		esac
		shift
	done
	set_flavor "$flavor"
}

# The object tree, fragments, outputs and log of flavor $1 (normal, debug,
# each: the per-patch builds).
set_flavor() {
	flavor=$1
	obj=$src/.kobj-$1
	fragments=$fragment
	out=$build/kernel-out
	log=$build/kernel-build.log
	case $1 in
	debug)	fragments="$fragment $debug_fragment"
		out=$build/kernel-debug-out
		log=$build/kernel-debug-build.log ;;
	kasan)	fragments="$fragment $debug_fragment $kasan_fragment"
		out=$build/kernel-kasan-out
		log=$build/kernel-kasan-build.log ;;
	each)	log=$build/kernel-each-build.log ;;
	esac
}

git_k() {
	git -C "$src" -c user.name="migscope build" \
		-c user.email=migscope@localhost -c advice.detachedHead=false "$@"
}

series_files() {
	local p

	[ -f "$patches/series" ] || die "$patches/series is missing"
	while read -r p; do
		case "$p" in ''|'#'*) continue ;; esac
		[ -f "$patches/$p" ] || die "series names $p, which is not in $patches"
		echo "$patches/$p"
	done < "$patches/series"
}

# Identity of the source: package version, size and mtime of the tarball.
source_id() {
	local ver

	ver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || echo unknown)
	echo "linux-source-6.12 $ver $(stat -c '%s %Y' "$tarball")"
}

series_id() {
	local f

	for f in $(series_files); do cat "$f"; done | sha256sum | cut -c1-12
}

# The config depends on the fragment, this script and the series' Kconfig.
config_id() {
	# shellcheck disable=SC2086
	{ cat $fragments "$0"; series_id; } | sha256sum | cut -c1-12
}

unpack_source() {
	local id

	[ -f "$tarball" ] || die "$tarball not found; install it with: apt-get install linux-source-6.12"
	id=$(source_id)
	if [ -f "$src/.migscope-source" ] && [ "$(cat "$src/.migscope-source")" = "$id" ]; then
		return
	fi
	say "unpacking $tarball into $src"
	rm -rf "$src"
	mkdir -p "$src"
	tar -xf "$tarball" -C "$src" --strip-components=1
	# Debian's tarball ignores everything at top level: track the tree
	# (the object trees, .kobj-*, stay ignored by the kernel's .* rule).
	sed -i '/^# Debian packaging/,$d' "$src/.gitignore"
	git_k init -q
	git_k add -A
	git_k commit -q -m "Linux $(make -s -C "$src" kernelversion) ($id)"
	git_k tag pristine
	echo "$id" > "$src/.migscope-source"
}

# Check out pristine and apply the series with git am: a patch that does not
# apply stops the build, naming it.
apply_series() {
	local want f

	want=$(series_id)
	if [ -f "$src/.migscope-series" ] && [ "$(cat "$src/.migscope-series")" = "$want" ]; then
		return
	fi
	say "applying kernel/patches/series ($want)"
	rm -f "$src/.migscope-series"
	git_k am --abort >/dev/null 2>&1 || true
	git_k checkout -q -f -B migscope pristine
	git_k clean -q -f -d
	for f in $(series_files); do
		if ! git_k am -q "$f" >/dev/null 2>&1; then
			git_k am --abort >/dev/null 2>&1 || true
			die "$(basename "$f") does not apply to $(cat "$src/.migscope-source"); fix the patch (kernel/patches/) and rerun"
		fi
	done
	echo "$want" > "$src/.migscope-series"
}

# Builds used to be made in the tree; kbuild refuses O= next to that.
clean_in_tree() {
	[ -f "$src/.config" ] || [ -d "$src/include/config" ] || return 0
	say "removing the in-tree build of an older build.sh (builds are out of tree now)"
	make -s -C "$src" ARCH=x86_64 mrproper
	rm -f "$src/.migscope-config"
}

# tinyconfig + the fragments, for whatever the tree holds now.
make_config() {
	mkdir -p "$obj"
	make -s -C "$src" O="$obj" ARCH=x86_64 tinyconfig >/dev/null
	# shellcheck disable=SC2086
	(cd "$src" && scripts/kconfig/merge_config.sh -m -O "$obj" "$obj/.config" \
		$fragments >/dev/null)
	make -s -C "$src" O="$obj" ARCH=x86_64 olddefconfig >/dev/null
}

# Every line of the fragments must be in the final .config.
check_config() {
	local f line missing=0

	for f in $fragments; do
		while read -r line; do
			case "$line" in ''|'# '*' is not set') ;; '#'*) continue ;; esac
			[ -n "$line" ] || continue
			if ! grep -qxF -- "$line" "$obj/.config"; then
				say "config: '$line' ($(basename "$f")) did not survive olddefconfig (a dependency is missing)"
				missing=1
			fi
		done < "$f"
	done
	[ $missing -eq 0 ] || die "fix $(echo $fragments | sed "s|$top/||g")"
}

# Configure the fully patched tree: every line of the fragments must survive.
configure() {
	local want

	want=$(config_id)
	if [ -f "$obj/.config" ] && [ -f "$obj/.migscope-config" ] &&
	   [ "$(cat "$obj/.migscope-config")" = "$want" ]; then
		return
	fi
	say "configuring ($flavor): tinyconfig + $(echo $fragments | sed "s|$top/||g")"
	make_config
	check_config
	echo "$want" > "$obj/.migscope-config"
}

# uname -v: the series, and "debug" for the debug kernel
build_version() {
	if [ "$flavor" = debug ] || [ "$flavor" = kasan ]; then
		echo "1-migscope-$flavor-$(series_id)"
	else
		echo "1-migscope-$(series_id)"
	fi
}

kmake() {
	local cc=gcc

	command -v ccache >/dev/null && cc="ccache gcc"
	make -C "$src" O="$obj" ARCH=x86_64 CC="$cc" -j"$jobs" LOCALVERSION= \
		KBUILD_BUILD_VERSION="$(build_version)" \
		KBUILD_BUILD_TIMESTAMP="$(cut -d" " -f2 "$src/.migscope-source")" \
		KBUILD_BUILD_USER=migscope KBUILD_BUILD_HOST=testbed \
		"$@"
}

compile() {
	local touched

	say "building bzImage and modules ($flavor, -j$jobs), log: $log"
	if ! kmake bzImage modules > "$log" 2>&1; then
		tail -n 30 "$log" >&2
		die "kernel build failed; see $log"
	fi
	# Warnings in the files the series touches fail the build.
	touched=$(git_k diff --name-only pristine HEAD | tr '\n' '|')
	if [ -n "$touched" ] &&
	   grep -E "^(\.\./)?(${touched%|}):[0-9]+:[0-9]+: warning: " "$log" >&2; then
		die "the series adds compiler warnings (above); see $log"
	fi
}

# Build once per patch on top of pristine: each patch must build on its own.
build_each() {
	local f n=0

	say "building after each patch of the series"
	set_flavor each
	git_k checkout -q -f -B migscope-each pristine
	for f in $(series_files); do
		n=$((n + 1))
		git_k am -q "$f" >/dev/null 2>&1 || die "$(basename "$f") does not apply"
		say "  [$n] $(basename "$f")"
		# options of later patches are not there yet: no strict check
		make_config
		compile
	done
	rm -f "$src/.migscope-series" "$obj/.migscope-config"
	set_flavor "$1"
}

install_outputs() {
	local release

	release=$(make -s -C "$src" O="$obj" LOCALVERSION= kernelrelease)
	rm -rf "$out.new"
	mkdir -p "$out.new/modules"
	cp "$obj/arch/x86/boot/bzImage" "$out.new/bzImage"
	cp "$obj/.config" "$out.new/config"
	kmake -s INSTALL_MOD_PATH="$out.new/modules" INSTALL_MOD_STRIP=1 \
		modules_install >/dev/null
	echo "$release" > "$out.new/release"
	{
		echo "release=$release"
		echo "uts_version=#$(build_version)"
		echo "source=$(cat "$src/.migscope-source")"
		echo "series=$(series_id) ($(series_files | wc -l) patches)"
		echo "config=$(config_id)"
		echo "flavor=$flavor"
	} > "$out.new/version.txt"
	rm -rf "$out"
	mv "$out.new" "$out"
}

up_to_date() {
	[ -f "$out/bzImage" ] && [ -f "$out/version.txt" ] &&
	grep -qx "series=$(series_id) ($(series_files | wc -l) patches)" "$out/version.txt" &&
	grep -qx "config=$(config_id)" "$out/version.txt" &&
	grep -qx "source=$(source_id)" "$out/version.txt"
}

run_checkpatch() {
	local f bad=0

	for f in $(series_files); do
		# UNKNOWN_COMMIT_ID: the tarball has no git history, so a
		# Fixes: tag's commit cannot be looked up here
		if (cd "$src" && PATH=/usr/bin:$PATH scripts/checkpatch.pl --strict -q --no-summary \
			--ignore UNKNOWN_COMMIT_ID "$f"); then
			echo "checkpatch: $(basename "$f"): clean"
		else
			bad=1
		fi
	done
	return $bad
}

main() {
	parse_args "$@"
	series_files >/dev/null
	mkdir -p "$build"
	if [ $checkpatch_only -eq 1 ]; then
		unpack_source
		run_checkpatch
		return
	fi
	if [ $each -eq 0 ] && up_to_date; then
		say "up to date: $(head -1 "$out/version.txt")"
		return
	fi
	unpack_source
	clean_in_tree
	[ $each -eq 1 ] && build_each "$flavor"
	apply_series
	configure
	compile
	install_outputs
	say "built $(cat "$out/release"): $out/bzImage"
}

main "$@"
