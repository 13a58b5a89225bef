# SPDX-License-Identifier: GPL-2.0
#
# migscope: characterize Linux page migration (batched folio copy, copy
# offload) from trace-cmd data.
#
#   make            analyzer (analyzer/migscope) and workloads (migbench)
#   make kernel     the patched 6.12 test kernel (build/kernel-out/)
#   make check      every test: unit, kernel series, testbed end to end
#   make demo       build, boot the testbed, record, analyze, plot
#   make help       this list and the rest

BUILD		?= $(CURDIR)/build
OUT		?= $(BUILD)/runs
DEMO		?= $(CURDIR)/results/demo
DEMO_PAGES	?= 16384 65536
MIGSCOPE	:= $(CURDIR)/analyzer/migscope

export BUILD

.PHONY: all deps analyzer workloads kernel kernel-debug kernel-kasan kernel-check kernel-cross checkpatch testbed \
	check check-unit check-kernel check-catalog check-e2e demo fixtures bench-overhead \
	bench-analyzer fuzz \
	clean distclean help

all: deps analyzer workloads

help:
	@sed -n '3,11p' Makefile | sed 's/^# \{0,1\}//'
	@echo '  make checkpatch   scripts/checkpatch.pl --strict on kernel/patches'
	@echo '  make kernel-debug the debug test kernel that make check boots'
	@echo '  make kernel-kasan the debug kernel with KASAN, for a hunt'
	@echo '  make kernel-check checkpatch, and build after every patch'
	@echo '  make kernel-cross cross-compile the series for arm64 and ppc64le'
	@echo '  make testbed      the initramfs for the qemu testbed'
	@echo '  make fixtures     re-record analyzer/tests/fixtures in the testbed'
	@echo '  make bench-overhead  tracing overhead: events off/on vs tracing off'
	@echo '  make bench-analyzer  migscope report vs bare libtracecmd vs trace-cmd'
	@echo '  make fuzz         the analyzer engine fuzzer for FUZZ_SECONDS (300)'
	@echo '  make clean        remove userspace build outputs (not build/)'

deps:
	@scripts/deps.sh

analyzer: deps
	$(MAKE) -C analyzer

workloads: deps
	$(MAKE) -C workloads

kernel: deps
	kernel/build.sh

kernel-debug: deps
	kernel/build.sh --debug

kernel-kasan: deps
	kernel/build.sh --kasan

checkpatch: deps
	kernel/build.sh --checkpatch

kernel-check: checkpatch
	kernel/build.sh --each

# Needs gcc-aarch64-linux-gnu and gcc-powerpc64le-linux-gnu (not in deps:
# make check does not cross-compile).
kernel-cross: kernel
	kernel/cross.sh

testbed: all kernel
	testbed/mkinitramfs

# Unit tests first (cheap), then the kernel series, then the testbed.
check: all
	scripts/run-tests

check-unit: all
	scripts/run-tests unit

check-kernel: all
	scripts/run-tests kernel

check-catalog: all
	scripts/run-tests catalog

check-e2e: all
	scripts/run-tests e2e

demo: all kernel testbed
	scripts/demo.sh $(DEMO) $(DEMO_PAGES)

# The engine fuzzer (libFuzzer): executions, crashes, hangs.
fuzz: deps
	$(MAKE) -C analyzer fuzz

# Benchmarks print figures (ratios within one run); they are not tests.
bench-overhead: all kernel testbed
	bench/overhead.sh

# No testbed: a synthetic trace from the demo trace (bench/mkbig.c).
bench-analyzer: analyzer
	bench/analyzer.sh

fixtures: all kernel testbed
	scripts/fixtures.sh analyzer/tests/fixtures

clean:
	$(MAKE) -C analyzer clean
	$(MAKE) -C workloads clean

distclean: clean
	rm -rf $(BUILD)
