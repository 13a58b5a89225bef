# invariants.jq - what every `migscope report --json` output must hold.
#
# Used by test-cli on tests/data/*.dat and on every tests/fixtures/*.dat
# (real traces from the qemu testbed); `jq -e -f invariants.jq` exits 0
# only when all of them hold.  Add a line here, every trace is checked.

def ordered: .p50_ns <= .p90_ns and .p90_ns <= .p99_ns
	and .p99_ns <= .max_ns and .mean_ns <= .max_ns;
def share_ok: .share == null or (.share >= 0 and .share <= 1);
# times in cycles or counts: their keys end so (total_cycles,
# cycles_per_page); read them under the ns names the checks use
def ns_keys($u): walk(if type == "object" then with_entries(.key |=
	(if endswith("_" + $u) then .[:-($u | length)] + "ns"
	 elif startswith($u + "_") then "ns_" + .[($u | length) + 1:]
	 else . end)) else . end);

(if .time_unit != "ns" then ns_keys(.time_unit) else . end) |

.tool == "migscope" and .version == "0.1" and .schema_version == 3
and (.trace | type) == "string"
and (.page_size > 0)
and (.time_unit == "ns" or .time_unit == "cycles" or .time_unit == "counts")
and (.environment.timing_label | type) == "string"
and (if .environment.emulated != null
     then (.environment.timing_label | startswith("EMULATED")) else true end)
and (.phases | map(.phase)) == ["unmap", "flush", "copy", "move", "undo"]
and all(.phases[]; ordered and share_ok and .count >= 0
	and (.count > 0 or .total_ns == 0))
and (.calls | ordered)
and .calls.bytes == .calls.pages_succeeded * .page_size
and .unattributed.total_ns >= 0
and .unattributed.total_ns <= .calls.total_ns
and (.unattributed | share_ok)
# time counts once: phases (self time) + nested calls + unattributed is
# the outermost migrate_pages() total, exactly
and ((.phases | map(.total_ns) | add) + .nested.total_ns
     + .unattributed.total_ns) == .calls.total_ns
and (.calls.total_ns as $t | all(.phases[]; .total_ns <= $t))
and (.nested | share_ok) and .nested.total_ns <= .calls.total_ns
and all(.nested.by_reason[]; share_ok and .calls > 0)
and ((.nested.by_reason | map(.total_ns) | add // 0) == .nested.total_ns)
and (if .calls.total_ns > 0
     then ((.phases | map(.share) | add) + .nested.share
	   + .unattributed.share) as $s | $s > 0.999999 and $s < 1.000001
     else true end)
# the outermost calls by reason and by mode: every call once
and ((.by_reason | map(.calls) | add // 0) == .calls.count)
and ((.by_mode | map(.calls) | add // 0) == .calls.count)
and ((.by_reason | map(.pages_succeeded) | add // 0)
     == .calls.pages_succeeded)
and ((.by_reason | map(.batches) | add // 0) == .batches.count)
and (((.by_reason | map(.total_ns) | add // 0) - .calls.total_ns | fabs)
     <= (.by_reason | length))
and all(.by_reason[]; share_ok and .calls > 0 and .total_ns >= 0
	and .batch_folios.p50 <= .batch_folios.p99
	and .batch_folios.p99 <= .batch_folios.max
	and .batch_pages.p50 <= .batch_pages.p99
	and .batch_pages.p99 <= .batch_pages.max
	and all(.phase_share[]; . == null or (. >= 0 and . <= 1))
	and ((.phase_share | map(. // 0) | add) <= 1.000001)
	and (.offloaded_batches + (.declined_batches | add)) <= .batches)
and ((.by_reason | map(.declined_batches | add) | add // 0)
     <= (.copy_dispatch.declined | add))
and .lost_events.events >= .lost_events.gaps
and (if .lost_events.gaps == 0
     then .lost_events.calls == 0 and .lost_events.batches == 0
	  and .lost_events.syscalls == 0 else true end)
and .phases[0].count <= .batches.count
and (if .series | not then all(.phases[]; .count == 0) else true end)
and .syscalls.outside_migrate_pages_ns <= .syscalls.total_ns
and .syscalls.max_ns <= .syscalls.total_ns
and (.series == (.missing_events | map(startswith("migrate_batch:")) | any
		 | not))
and (((.missing_events | length) == 0) == (.record_hint == null))
and .unpaired.begin_without_end >= 0 and .unpaired.end_without_begin >= 0
and (if .topology != null then
	(.topology.l3_domains | length) as $n
	| all(.topology.cpus[]; .l3 >= -1 and .l3 < $n)
	and ([.topology.l3_domains[].id] == [range($n)])
     else true end)
