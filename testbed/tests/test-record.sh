#!/bin/sh
# Host tests of tracepoints/migscope-record against a fake tracefs and a fake
# trace-cmd: option errors, preset lookup, the missing-event messages, the
# marker lines, stdout separation, -B instances and exit status propagation.
# Runs the script with every shell given in $SHELLS (default: sh, and busybox
# sh and bash when present).
#
# Closes with "N passed, N failed".

top=$(cd "$(dirname "$0")/../.." && pwd)
REC=$top/tracepoints/migscope-record
pass=0
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/record-test.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); echo "ok    $SHNAME $1"; }
ko() { fail=$((fail + 1)); echo "FAIL  $SHNAME $1: $2"; }

# ---- fake tracefs and trace-cmd ---------------------------------------------
fake_tracefs() {
	t=$tmp/tracefs
	rm -rf "$t"
	mkdir -p "$t/instances"
	for e in migrate/mm_migrate_pages_start migrate/mm_migrate_pages \
		 syscalls/sys_enter_move_pages syscalls/sys_exit_move_pages \
		 syscalls/sys_enter_mbind syscalls/sys_exit_mbind \
		 syscalls/sys_enter_migrate_pages syscalls/sys_exit_migrate_pages; do
		mkdir -p "$t/events/$e"
	done
	: >"$t/trace_marker"
	echo "local global [mono] mono_raw" >"$t/trace_clock"
}

cat >"$tmp/trace-cmd" <<'FAKE'
#!/bin/sh
# fake trace-cmd: log the arguments, create the instance, run the command
printf '%s\n' "$@" >"$FAKE_LOG"
if [ "$1" = extract ]; then
	# extract -B NAME -o FILE
	printf '%s\n' "$@" >"$FAKE_LOG.extract"
	echo extracted >"$5"
	exit 0
fi
[ "$1" = record ] || exit 1
if [ -n "$FAKE_NOFTRACE" ]; then
	echo "trace-cmd: Operation not permitted" >&2
	echo "  $FAKE_NOFTRACE" >&2
	exit 1
fi
shift
out=trace.dat
while [ $# -gt 0 ]; do
	case $1 in
	-o) out=$2; shift 2 ;;
	-B) mkdir -p "$MIGSCOPE_TRACEFS/instances/$2"
	    echo "local [mono]" >"$MIGSCOPE_TRACEFS/instances/$2/trace_clock"
	    : >"$MIGSCOPE_TRACEFS/instances/$2/trace_marker"; shift 2 ;;
	--) shift; break ;;
	*) shift ;;
	esac
done
echo "CPU0 data recorded at offset=0x0 (fake)"
"$@"
rc=$?
echo fake >"$out"
exit "${FAKE_RC:-0}"
FAKE
chmod +x "$tmp/trace-cmd"

export MIGSCOPE_TRACEFS="$tmp/tracefs" TRACE_CMD="$tmp/trace-cmd" \
	FAKE_LOG="$tmp/trace-cmd.args"

# rec STATUS NAME ARGS...: run migscope-record, expect STATUS
rec() {
	want=$1 name=$2
	shift 2
	(cd "$tmp" && $SH "$REC" "$@") >"$tmp/out" 2>"$tmp/err"
	got=$?
	[ "$got" -eq "$want" ] && return 0
	ko "$name" "exit $got, expected $want; stderr: $(cat "$tmp/err")"
	return 1
}

has_err() {
	grep -q -- "$2" "$tmp/err" && return 0
	ko "$1" "stderr lacks '$2': $(cat "$tmp/err")"
	return 1
}

marker_checks() {
	name=$1 m=$2
	n=$(wc -l <"$m")
	first=$(head -n 1 "$m")
	last=$(tail -n 1 "$m")
	ncpu=$(grep -c '^migscope:cpu ' "$m")
	online=$(grep -c '^processor' /proc/cpuinfo)
	nnode=$(grep -c '^migscope:node ' "$m")
	if [ -d /sys/devices/system/node ]; then
		want_nodes=$(ls -d /sys/devices/system/node/node[0-9]* | wc -l)
	else
		want_nodes=1
	fi
	if [ "$first" != "migscope:begin v=1" ] || [ "$last" != "migscope:end" ]; then
		ko "$name" "markers do not start with begin and end with end: $(cat "$m")"
	elif [ "$(sed -n 2p "$m" | cut -d' ' -f1)" != migscope:kernel ] ||
	     [ "$(sed -n 3p "$m" | cut -d' ' -f1)" != migscope:clock ] ||
	     [ "$(sed -n 4p "$m" | cut -d' ' -f1)" != migscope:env ]; then
		ko "$name" "kernel, clock, env not in order: $(cat "$m")"
	elif ! grep -q "^migscope:kernel release=$(uname -r) version=\".*\" machine=$(uname -m)\$" "$m"; then
		ko "$name" "bad kernel line: $(grep kernel "$m")"
	elif ! grep -q "^migscope:clock trace_clock=mono page_size=$(getconf PAGESIZE) ncpus=$online cpu_mhz=[0-9.]*\( tsc_khz=[0-9]* tsc_khz_from=\"[^\"]*\"\)\{0,1\}\( tsc_stable=[01]\)\{0,1\}\$" "$m"; then
		ko "$name" "bad clock line: $(grep clock "$m")"
	elif ! grep -q '^migscope:env hypervisor=[01] emulated="qemu-tcg"$' "$m"; then
		ko "$name" "bad env line: $(grep env "$m")"
	elif ! grep -q '^migscope:record events="migrate:mm_migrate_pages_start migrate:mm_migrate_pages syscalls:sys_enter_move_pages syscalls:sys_exit_move_pages syscalls:sys_enter_mbind syscalls:sys_exit_mbind syscalls:sys_enter_migrate_pages syscalls:sys_exit_migrate_pages"$' "$m"; then
		ko "$name" "bad record line: $(grep 'migscope:record' "$m")"
	elif [ "$ncpu" -ne "$online" ]; then
		ko "$name" "$ncpu cpu lines for $online CPUs"
	elif grep '^migscope:cpu ' "$m" | grep -vq '^migscope:cpu cpu=[0-9]* package=[0-9]* die=[0-9]* node=[0-9-]* l3="[-0-9,]*"$'; then
		ko "$name" "bad cpu line: $(grep cpu= "$m" | head -3)"
	elif [ "$nnode" -ne "$want_nodes" ]; then
		ko "$name" "$nnode node lines for $want_nodes nodes"
	elif grep '^migscope:node ' "$m" | grep -vq '^migscope:node node=[0-9]* cpus="[-0-9,]*" mem_kb=[0-9]*$'; then
		ko "$name" "bad node line: $(grep node= "$m" | head -3)"
	elif [ "$n" -ne $((6 + ncpu + nnode)) ]; then
		ko "$name" "$n marker lines, expected $((6 + ncpu + nnode))"
	else
		ok "$name"
	fi
}

run_suite() {
	fake_tracefs
	rec 0 help --help && grep -q '^usage: migscope-record' "$tmp/out" && ok help
	rec 125 no-command -p upstream && has_err no-command 'no command given' && ok no-command
	rec 125 bad-option -x true && has_err bad-option "unknown option '-x'" && ok bad-option
	rec 125 no-value -o && has_err no-value 'option -o needs a value' && ok no-value
	rec 125 no-preset -p nosuch true && has_err no-preset "no preset 'nosuch'.*available: .*phases" &&
		ok no-preset
	TRACE_CMD=$tmp/none rec 125 no-trace-cmd -p upstream true &&
		has_err no-trace-cmd 'not found in PATH: install trace-cmd' && ok no-trace-cmd

	# phases needs the series' events: the message names the event and the cause
	rec 125 missing-series -p phases true &&
		has_err missing-series 'event migrate_batch is not in .*lacks the migscope series' &&
		has_err missing-series 'missing: not recording' &&
		[ ! -s "$tmp/tracefs/trace_marker" ] && ok missing-series
	rm -r "$tmp/tracefs/events/syscalls"
	rec 125 missing-syscalls -p upstream true &&
		has_err missing-syscalls 'syscalls:sys_enter_move_pages is not in .*CONFIG_FTRACE_SYSCALLS is off' &&
		ok missing-syscalls
	fake_tracefs

	printf -- '-e\nmigrate:nosuch\n-C\nmono\n' >"$tmp/p1"
	rec 125 custom-missing -P "$tmp/p1" true &&
		has_err custom-missing 'event migrate:nosuch is not in' && ok custom-missing
	printf -- '-e\nmigrate:*\n-C\nx86-tsc\n' >"$tmp/p2"
	rec 125 bad-clock -P "$tmp/p2" true &&
		has_err bad-clock "preset clock 'x86-tsc' not offered" && ok bad-clock

	# a run: markers, stdout separation, trace-cmd arguments
	if rec 0 run -p upstream --emulated qemu-tcg -o out.dat -- echo 'hello  world'; then
		if [ "$(cat "$tmp/out")" != 'hello  world' ]; then
			ko stdout "command stdout is '$(cat "$tmp/out")'"
		elif ! grep -q 'CPU0 data recorded' "$tmp/err"; then
			ko stdout "trace-cmd stdout not on stderr: $(cat "$tmp/err")"
		else
			ok stdout
		fi
		args=$(tr '\n' ' ' <"$tmp/trace-cmd.args")
		case $args in
		"record -e migrate:mm_migrate_pages_start -e migrate:mm_migrate_pages -e syscalls:sys_enter_move_pages -e syscalls:sys_exit_move_pages -e syscalls:sys_enter_mbind -e syscalls:sys_exit_mbind -e syscalls:sys_enter_migrate_pages -e syscalls:sys_exit_migrate_pages -C mono -b 8192 -o out.dat -- sh -c "*" migscope-record-sh "*" echo hello  world ")
			ok trace-cmd-args ;;
		*)	ko trace-cmd-args "$args" ;;
		esac
		[ -s "$tmp/out.dat" ] && ok output-file || ko output-file "no out.dat"
		marker_checks markers "$tmp/tracefs/trace_marker"
	fi

	# exit status of the command comes back
	rec 7 exit-status -p upstream -- sh -c 'exit 7' && ok exit-status
	rec 127 not-found -p upstream -- /nonexistent/cmd && ok not-found
	FAKE_RC=3 rec 125 trace-cmd-fails -p upstream true &&
		has_err trace-cmd-fails 'trace-cmd record failed (status 3) although the command succeeded' &&
		ok trace-cmd-fails

	# emulation detected without --emulated: QEMU, hypervisor, no kvm-clock
	for v in tcg kvm metal; do
		r=$tmp/root-$v
		mkdir -p "$r/proc" "$r/sys/class/dmi/id" \
			"$r/sys/devices/system/clocksource/clocksource0"
		case $v in
		metal) echo "flags : fpu sse2" ;;
		*) echo "flags : fpu sse2 hypervisor" ;;
		esac >"$r/proc/cpuinfo"
		echo QEMU >"$r/sys/class/dmi/id/sys_vendor"
		case $v in
		kvm) cs="kvm-clock tsc hpet acpi_pm" ;;
		*) cs="tsc hpet acpi_pm" ;;
		esac
		echo "$cs" >"$r/sys/devices/system/clocksource/clocksource0/available_clocksource"
		fake_tracefs
		case $v in
		tcg) env_want='migscope:env hypervisor=1 emulated="qemu-tcg (detected)"' ;;
		kvm) env_want='migscope:env hypervisor=1' ;;
		metal) env_want='migscope:env hypervisor=0' ;;
		esac
		if MIGSCOPE_SYSROOT=$r rec 0 "detect-$v" -p upstream -o d.dat true; then
			got=$(grep '^migscope:env' "$tmp/tracefs/trace_marker")
			[ "$got" = "$env_want" ] && ok "detect-$v" ||
				ko "detect-$v" "env marker '$got', want '$env_want'"
		fi
	done
	fake_tracefs
	if MIGSCOPE_SYSROOT=$tmp/root-tcg rec 0 detect-override -p upstream \
		--emulated=other -o d.dat true; then
		grep -q '^migscope:env hypervisor=1 emulated="other"$' \
			"$tmp/tracefs/trace_marker" && ok detect-override ||
			ko detect-override "$(grep env "$tmp/tracefs/trace_marker")"
	fi

	# the TSC rate from the kernel log, never from "cpu MHz"
	for v in refined early unstable notsc; do
		r=$tmp/root-$v
		mkdir -p "$r/proc" "$r/sys/devices/system/clocksource/clocksource0"
		case $v in
		notsc) echo "flags : fpu sse2" ;;
		*) printf 'cpu MHz : 3700.000\nflags : fpu tsc sse2\n' ;;
		esac >"$r/proc/cpuinfo"
		echo tsc >"$r/sys/devices/system/clocksource/clocksource0/current_clocksource"
		{
			echo "[    0.000000] tsc: Detected 2596.115 MHz processor"
			[ "$v" = early ] ||
				echo "[    1.200000] tsc: Refined TSC clocksource calibration: 2596.001 MHz"
			[ "$v" != unstable ] ||
				echo "[    0.558228] tsc: Marking TSC unstable due to TSCs unsynchronized"
		} >"$r/dmesg.txt"
		case $v in
		refined) tsc_want=' tsc_khz=2596001 tsc_khz_from="kernel log: refined TSC calibration" tsc_stable=1' ;;
		early) tsc_want=' tsc_khz=2596115 tsc_khz_from="kernel log: early TSC calibration" tsc_stable=1' ;;
		unstable) tsc_want=' tsc_khz=2596001 tsc_khz_from="kernel log: refined TSC calibration" tsc_stable=0' ;;
		notsc) tsc_want= ;;
		esac
		fake_tracefs
		if MIGSCOPE_SYSROOT=$r rec 0 "tsc-$v" -p upstream -o d.dat true; then
			got=$(sed -n 's/^migscope:clock .* cpu_mhz=[0-9.]*//p' "$tmp/tracefs/trace_marker")
			[ "$got" = "$tsc_want" ] && ok "tsc-$v" ||
				ko "tsc-$v" "clock marker ends '$got', want '$tsc_want'"
		fi
	done

	# the batch copy's settings and the active migrator's threshold
	for v in dcbm mtcopy kernel unpatched; do
		r=$tmp/root-mig-$v
		mkdir -p "$r/proc"
		echo "flags : fpu sse2" >"$r/proc/cpuinfo"
		if [ "$v" != unpatched ]; then
			mkdir -p "$r/sys/kernel/mm/migrate" "$r/sys/module/$v/parameters"
			echo "$v" >"$r/sys/kernel/mm/migrate/migrator"
			echo 1 >"$r/sys/kernel/mm/migrate/batch_copy"
			echo 512 >"$r/sys/kernel/mm/migrate/batch_max_pages"
			echo "memory_hotplug demotion" >"$r/sys/kernel/mm/migrate/offload_reasons"
		fi
		[ "$v" != dcbm ] || {
			echo 4 >"$r/sys/module/dcbm/parameters/min_folios"
			echo 65536 >"$r/sys/module/dcbm/parameters/min_bytes"
		}
		case $v in
		dcbm) mig_want='migscope:migrate migrator=dcbm batch_copy=1 batch_max_pages=512 offload_reasons="memory_hotplug demotion" min_folios=4 min_bytes=65536' ;;
		mtcopy|kernel) mig_want="migscope:migrate migrator=$v batch_copy=1 batch_max_pages=512 offload_reasons=\"memory_hotplug demotion\"" ;;
		unpatched) mig_want= ;;
		esac
		fake_tracefs
		if MIGSCOPE_SYSROOT=$r rec 0 "migrate-$v" -p upstream -o d.dat true; then
			got=$(grep '^migscope:migrate' "$tmp/tracefs/trace_marker")
			[ "$got" = "$mig_want" ] && ok "migrate-$v" ||
				ko "migrate-$v" "migrate marker '$got', want '$mig_want'"
		fi
	done

	# trace-cmd record cannot enable ftrace: tracefs instance + extract
	fallback_tree() {
		i=$tmp/tracefs/instances/migscope-record
		for e in migrate/mm_migrate_pages_start migrate/mm_migrate_pages \
			 syscalls/sys_enter_move_pages syscalls/sys_exit_move_pages \
			 syscalls/sys_enter_mbind syscalls/sys_exit_mbind \
			 syscalls/sys_enter_migrate_pages syscalls/sys_exit_migrate_pages; do
			mkdir -p "$i/events/$e"
			echo 0 >"$i/events/$e/enable"
		done
		mkdir -p "$i/per_cpu/cpu0" "$i/per_cpu/cpu1"
		echo "local [mono] mono_raw" >"$i/trace_clock"
		: >"$i/trace_marker"
		: >"$i/trace"
		echo 1 >"$i/tracing_on"
		echo 1408 >"$i/buffer_size_kb"
		printf 'entries: 10\noverrun: 0\ndropped events: 0\n' >"$i/per_cpu/cpu0/stats"
		printf 'entries: 10\noverrun: %s\ndropped events: 0\n' "$1" \
			>"$i/per_cpu/cpu1/stats"
	}
	fake_tracefs
	fallback_tree 0
	if FAKE_NOFTRACE="Can't enable ftrace" rec 0 fallback -p upstream \
		--emulated qemu-tcg -o f.dat -- echo out; then
		i=$tmp/tracefs/instances/migscope-record
		bad=
		for e in "$i"/events/*/*/enable; do
			[ "$(cat "$e")" = 1 ] || bad="$bad ${e#$i/}"
		done
		if [ -n "$bad" ]; then
			ko fallback "events not enabled:$bad"
		elif ! grep -q 'recording through the tracefs instance migscope-record' "$tmp/err"; then
			ko fallback "does not say it fell back: $(cat "$tmp/err")"
		elif [ "$(cat "$i/trace_clock")" != mono ] ||
		     [ "$(cat "$i/buffer_size_kb")" != 8192 ] ||
		     [ "$(cat "$i/tracing_on")" != 0 ]; then
			ko fallback "clock $(cat "$i/trace_clock"), buffer $(cat "$i/buffer_size_kb"), tracing_on $(cat "$i/tracing_on")"
		elif [ "$(tr '\n' ' ' <"$FAKE_LOG.extract")" != "extract -B migscope-record -o f.dat " ] ||
		     [ "$(cat "$tmp/f.dat")" != extracted ] ||
		     [ "$(cat "$tmp/out")" != out ]; then
			ko fallback "extract: $(tr '\n' ' ' <"$FAKE_LOG.extract"), out: $(cat "$tmp/out")"
		elif grep -q 'warning' "$tmp/err"; then
			ko fallback "warned without a loss: $(cat "$tmp/err")"
		else
			ok fallback
			marker_checks fallback-markers "$i/trace_marker"
		fi
	fi
	fake_tracefs
	fallback_tree 5
	if FAKE_NOFTRACE="Can't enable ftrace" rec 0 fallback-overrun \
		-p upstream -o f.dat true; then
		has_err fallback-overrun 'the ring buffer lost events (5 overrun, 0 dropped)' &&
			ok fallback-overrun
	fi
	# any other failure of trace-cmd record is not papered over
	fake_tracefs
	FAKE_NOFTRACE="something else" rec 125 no-fallback -p upstream true &&
		has_err no-fallback 'record failed (status 1) before the command completed' &&
		! grep -q 'tracefs instance' "$tmp/err" && ok no-fallback

	# -B: markers go to the instance
	fake_tracefs
	if rec 0 instance -B migscope -p upstream --emulated=qemu-tcg -o i.dat true; then
		if [ "$(head -n 2 "$tmp/trace-cmd.args" | tr '\n' ' ')" != "record -B " ] ||
		   [ "$(sed -n 3p "$tmp/trace-cmd.args")" != migscope ]; then
			ko instance "trace-cmd args: $(tr '\n' ' ' <"$tmp/trace-cmd.args")"
		elif [ -s "$tmp/tracefs/trace_marker" ]; then
			ko instance "markers went to the top buffer"
		else
			marker_checks instance "$tmp/tracefs/instances/migscope/trace_marker"
		fi
	fi
}

SHELLS=${SHELLS:-sh}
if [ "$SHELLS" = sh ]; then
	command -v busybox >/dev/null && SHELLS="$SHELLS busybox:sh"
	command -v bash >/dev/null && SHELLS="$SHELLS bash"
fi
for s in $SHELLS; do
	SHNAME=$s
	SH=$(echo "$s" | tr ':' ' ')
	run_suite
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
