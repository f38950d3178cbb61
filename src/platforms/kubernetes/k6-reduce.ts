/**
 * What runs inside the load pod around k6. k6 cannot build HDR histograms and its end-of-test summary only
 * has a few fixed percentiles, which cannot be merged across runners or repetitions. Shipping k6's raw
 * per-request output out of the pod does not scale (about 13 CSV rows of ~200 bytes per request: 2,000 RPS
 * for 15 s is ~80 MB, beyond the kubelet's default 10 MiB log rotation). So the pod reduces it itself:
 * k6 writes its CSV output to an emptyDir, and when k6 exits a POSIX awk program (busybox awk in the
 * grafana/k6 image) turns the measure window's rows into
 *   - latency histograms: microseconds kept to 4 significant digits (finer than the 3-digit HDR histogram
 *     they are recorded into, so no precision is lost), value -> count, for requests that got a response,
 *     and "error_code|value" -> count for those that did not (collect.ts applies the k6 engine's own rule,
 *     src/engines/k6/tally.ts: timeouts count at least the timeout, other failures are left out);
 *   - request outcomes: "status|error_code" -> count; dropped iterations;
 *   - what k6 had to work with: vus_max at its highest (above the pre-allocated VUs, k6 started VUs mid-test) and,
 *     in a Job's k6 container, the container's CPU time over k6's run (cgroup cpu.stat) with its CPU limit, so a
 *     report can tell k6 short of VUs or CPU from a slow mesh (src/engines/k6/diagnosis.ts);
 * and prints it as ONE log line after a marker. Its size is bounded by the number of distinct buckets
 * (a few thousand), not by the number of requests. meshbench parses that line (collect.ts) and records the
 * buckets into an HDR histogram, so runners merge as histograms, never as averaged percentiles.
 *
 * Rows count as measure-window rows when k6's `scenario` column is `measure` or the row carries the tag
 * `phase=measure` (the scenario's warm-up runs as a separate scenario tagged `phase=warmup`).
 *
 * Other protocols and churn are told apart by the rows themselves, so that the reducer needs no setting (in a
 * TestRun it runs in a container of its own, without k6's environment):
 *   - churn tiers also write WITH_CONNECT_METRIC (latency with connection set-up, tagged like http_req_duration):
 *     when any such row is there, the latency buckets come from it instead of http_req_duration;
 *   - gRPC tiers write grpc_req_duration, tagged with the gRPC status: "status|value" -> count under "grpc"
 *     (collect.ts applies the k6 engine's rule, grpcOutcome in src/engines/k6/tally.ts), and
 *     GRPC_CONNECT_FAILURE_METRIC rows add up under "connectFailures". Both keys are left out when empty.
 */
import { GRPC_CONNECT_FAILURE_METRIC, WITH_CONNECT_METRIC } from '../../engines/k6/env-keys.js';

export const RESULT_MARKER = '@@MESHBENCH-K6@@';
export const OUT_DIR = '/meshbench';

/**
 * The awk program. Reads k6's CSV output; `-v rc=<k6 exit code>`, and optionally `-v cpu=<CPU microseconds>
 * -v wall=<centiseconds> -v cores=<CPU limit>` of k6's run. Prints the marker line.
 */
export const REDUCE_AWK = String.raw`
function splitcsv(line, out,    n, i, c, f, q, len) {
  n = 0; f = ""; q = 0; len = length(line)
  for (i = 1; i <= len; i++) {
    c = substr(line, i, 1)
    if (q) {
      if (c == "\"") { if (substr(line, i + 1, 1) == "\"") { f = f "\""; i++ } else q = 0 }
      else f = f c
    } else if (c == "\"") q = 1
    else if (c == ",") { out[++n] = f; f = "" }
    else f = f c
  }
  out[++n] = f
  return n
}
function bucket(ms,    us, m) {
  us = int(ms * 1000 + 0.5)
  if (us < 1) us = 1
  m = 1
  while (us / m >= 10000) m = m * 10
  return int(us / m + 0.5) * m
}
NR == 1 { nh = split($0, h, ","); for (i = 1; i <= nh; i++) col[h[i]] = i; next }
{
  name = substr($0, 1, index($0, ",") - 1)
  if (name != "http_req_duration" && name != "http_reqs" && name != "dropped_iterations" && name != "vus_max" && name != "${WITH_CONNECT_METRIC}" && name != "grpc_req_duration" && name != "${GRPC_CONNECT_FAILURE_METRIC}") next
  if (index($0, "\"") > 0) splitcsv($0, f); else split($0, f, ",")
  if (name == "vus_max") { v = f[col["metric_value"]] + 0; if (v > vm) vm = v; next }
  if (name == "http_reqs") all++
  tags = "&" f[col["extra_tags"]] "&"
  if (f[col["scenario"]] != "measure" && index(tags, "&phase=measure&") == 0) next
  v = f[col["metric_value"]] + 0
  if (name == "http_req_duration") {
    nd++
    if (f[col["status"]] + 0 > 0) d[bucket(v)]++
    else z[f[col["error_code"]] "|" bucket(v)]++
  }
  else if (name == "${WITH_CONNECT_METRIC}") {
    nw++
    if (f[col["status"]] + 0 > 0) dw[bucket(v)]++
    else zw[(f[col["error_code"]] + 0) "|" bucket(v)]++
  }
  else if (name == "grpc_req_duration") { nd++; ng++; g[(f[col["status"]] + 0) "|" bucket(v)]++ }
  else if (name == "${GRPC_CONNECT_FAILURE_METRIC}") cf += v
  else if (name == "http_reqs") { o[f[col["status"]] "|" f[col["error_code"]]] += v; nr++ }
  else dropped += v
}
END {
  s = "{\"v\":1,\"exit\":" (rc + 0) ",\"rowsAll\":" (all + 0) ",\"requests\":" (nr + 0) ",\"durations\":" (nd + 0) ",\"dropped\":" (dropped + 0) ",\"vusMax\":" (vm + 0)
  if (cpu != "" && wall + 0 > 0 && cores + 0 > 0) s = s ",\"cpu\":{\"usec\":" (cpu + 0) ",\"wallCs\":" (wall + 0) ",\"cores\":" (cores + 0) "}"
  s = s ",\"buckets\":{"
  sep = ""
  if (nw > 0) { for (k in dw) { s = s sep "\"" k "\":" dw[k]; sep = "," } }
  else for (k in d) { s = s sep "\"" k "\":" d[k]; sep = "," }
  s = s "},\"failed\":{"
  sep = ""
  if (nw > 0) { for (k in zw) { s = s sep "\"" k "\":" zw[k]; sep = "," } }
  else for (k in z) { s = s sep "\"" k "\":" z[k]; sep = "," }
  s = s "},\"outcomes\":{"
  sep = ""
  for (k in o) { s = s sep "\"" k "\":" o[k]; sep = "," }
  s = s "}"
  if (ng > 0) {
    s = s ",\"grpc\":{"
    sep = ""
    for (k in g) { s = s sep "\"" k "\":" g[k]; sep = "," }
    s = s "}"
  }
  if (cf > 0) s = s ",\"connectFailures\":" cf
  print "${RESULT_MARKER}" s "}"
}
`;

/**
 * A shell function `reduce <k6 exit code> [<CPU microseconds> <centiseconds> <CPU limit>]` that runs the awk
 * program over k6's CSV and prints the marker line.
 */
function reduceFunction(): string {
  if (REDUCE_AWK.includes("'")) throw new Error('the awk program must not contain single quotes');
  return [
    // MESHBENCH_OUT_DIR only exists so that tests can run this script outside a pod.
    `O="\${MESHBENCH_OUT_DIR:-${OUT_DIR}}"`,
    'reduce() {',
    `  if [ -f "$O/out.csv" ]; then awk -v rc="$1" -v cpu="$2" -v wall="$3" -v cores="$4" '${REDUCE_AWK}' "$O/out.csv"`,
    `  else echo "${RESULT_MARKER}{\\"v\\":1,\\"exit\\":$1,\\"missing\\":true}"; fi`,
    '}',
  ].join('\n');
}

/**
 * Shell functions that read the container's CPU time (microseconds), the clock (centiseconds since boot) and the
 * container's CPU limit (cores) from its cgroup: v2 (cpu.stat usage_usec, cpu.max) or v1 (cpuacct.usage,
 * cpu.cfs_quota_us / cpu.cfs_period_us); no limit: the CPUs the pod sees. Empty output when a file is missing.
 * MESHBENCH_CGROUP_DIR only exists so that tests can give it a cgroup of their own.
 */
function cgroupFunctions(): string {
  return [
    'G="${MESHBENCH_CGROUP_DIR:-/sys/fs/cgroup}"',
    'cpu_usec() {',
    '  if [ -r "$G/cpu.stat" ]; then awk \'$1 == "usage_usec" { print $2 }\' "$G/cpu.stat"',
    '  elif [ -r "$G/cpuacct/cpuacct.usage" ]; then awk \'{ printf "%d", $1 / 1000 }\' "$G/cpuacct/cpuacct.usage"; fi',
    '}',
    'uptime_cs() { awk \'{ printf "%d", $1 * 100 }\' /proc/uptime 2>/dev/null; }',
    'cpu_limit() {',
    '  q=""; p=""',
    '  if [ -r "$G/cpu.max" ]; then read -r q p < "$G/cpu.max"',
    '  elif [ -r "$G/cpu/cpu.cfs_quota_us" ]; then read -r q < "$G/cpu/cpu.cfs_quota_us"; read -r p < "$G/cpu/cpu.cfs_period_us"; fi',
    '  case "$q" in ""|max|-1) nproc 2>/dev/null || grep -c ^processor /proc/cpuinfo ;;',
    '  *) awk -v q="$q" -v p="$p" \'BEGIN { if (p > 0) printf "%.3f", q / p }\' ;; esac',
    '}',
  ].join('\n');
}

/**
 * The k6 container's command in a load Job (`/bin/sh -c <this>`). Environment it reads:
 * MESHBENCH_SCRIPT (path of the scenario), MESHBENCH_PARALLELISM and JOB_COMPLETION_INDEX (indexed Jobs:
 * this pod's execution segment), MESHBENCH_PROXY_READY_URL / MESHBENCH_PROXY_QUIT_URL (a classic sidecar:
 * wait until it is ready before k6 starts, stop it once k6 has exited, or the Job pod would never finish).
 */
export function loadWrapperScript(): string {
  return [
    reduceFunction(),
    cgroupFunctions(),
    'if [ -n "${MESHBENCH_PROXY_READY_URL:-}" ]; then',
    '  i=0; until wget -q -O /dev/null "$MESHBENCH_PROXY_READY_URL" 2>/dev/null; do i=$((i+1)); [ "$i" -ge 240 ] && break; sleep 0.5; done',
    'fi',
    'N="${MESHBENCH_PARALLELISM:-1}"; SEG=""',
    'if [ "$N" -gt 1 ]; then',
    '  I="${JOB_COMPLETION_INDEX:-0}"; J=$((I+1))',
    '  A="$I/$N"; [ "$I" -eq 0 ] && A=0; B="$J/$N"; [ "$J" -eq "$N" ] && B=1',
    '  SEQ=0; k=1; while [ "$k" -lt "$N" ]; do SEQ="$SEQ,$k/$N"; k=$((k+1)); done; SEQ="$SEQ,1"',
    '  SEG="--execution-segment $A:$B --execution-segment-sequence $SEQ"',
    'fi',
    'mkdir -p "$O"',
    'C0=$(cpu_usec); U0=$(uptime_cs)',
    // $SEG unquoted on purpose: it is empty or two flags with their values.
    'k6 run --no-usage-report --out "csv=$O/out.csv" $SEG "$MESHBENCH_SCRIPT"',
    'rc=$?',
    'C1=$(cpu_usec); U1=$(uptime_cs); CPU=""; WALL=""',
    'if [ -n "$C0" ] && [ -n "$C1" ] && [ -n "$U0" ] && [ -n "$U1" ]; then CPU=$((C1 - C0)); WALL=$((U1 - U0)); fi',
    'reduce "$rc" "$CPU" "$WALL" "$(cpu_limit)"',
    'if [ -n "${MESHBENCH_PROXY_QUIT_URL:-}" ]; then wget -q -O /dev/null --post-data="" "$MESHBENCH_PROXY_QUIT_URL" 2>/dev/null || true; fi',
    'exit $rc',
  ].join('\n');
}

/**
 * The reducer sidecar of a k6-operator runner pod (a native sidecar, restartPolicy Always). The operator
 * owns the k6 command line, so the reduction cannot follow k6 in the same shell: this container waits, and
 * when the kubelet stops it (after k6, the pod's only main container, has exited) it reduces and prints.
 * k6's own exit code is not visible from here: it prints -1 and collect.ts takes the runner's k6 state.
 */
export function reducerSidecarScript(): string {
  return [reduceFunction(), "trap 'reduce -1; exit 0' TERM", 'while true; do sleep 1; done'].join('\n');
}
