#!/usr/bin/env bash
# Cold start without SnapStart, with and without class data sharing: the first login in a fresh
# JVM on the packaged Lambda jar (benchmarks' ColdStart, as cold-start.sh runs it) on JDK 17, JDK 17
# with an AppCDS archive (-XX:ArchiveClassesAtExit from one training login, then
# -XX:SharedArchiveFile), and, where a JDK 25 is found, JDK 25 and JDK 25 with its AOT cache
# (-XX:AOTCacheOutput, then -XX:AOTCache). Prints each setup's median time to the first answer
# and its ratios to the plain JDK 17 run and to cold-start.sh's naive reference, measured in the same
# invocation.
#   benchmarks/class-data-sharing.sh [runs, default 5]     (JDK25=/path/to/jdk-25 to pick one)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
jdk17=${JAVA:-java}
jdk25=${JDK25:-$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -n 1)}
. benchmarks/local-server.sh
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$banner" "$banner".* "$work"' EXIT
# class data sharing takes jars only: the probe's classes go in one of their own
jar cf "$work/cold-start.jar" -C benchmarks/target/classes io/userhub/benchmarks
cp="$lambda_jar:$work/cold-start.jar"
main=io.userhub.benchmarks.ColdStart
# a refused login measures an early refusal, not a login: stop rather than report it
login() {
  local line; line=$("$@" -cp "$cp" "$main" "$app" "$kid" "$secret" | grep '"what"')
  case $line in *'"status":200'*) echo "$line" ;; *) echo "class-data-sharing: not answered 200: $line" >&2; exit 1 ;; esac
}
measure() {
  local name=$1; shift
  for _ in $(seq 1 "$runs"); do login "$@"; done | sed -E 's/.*"first_answer_ms":([0-9]+).*/\1/' > "$work/$name"
  echo "$name $(median < "$work/$name")"
}
# training runs: one login each, writing the archive or cache that the measured runs read
login "$jdk17" -XX:ArchiveClassesAtExit="$work/app17.jsa" > /dev/null 2>&1
results=$(measure jdk17 "$jdk17"; measure jdk17_appcds "$jdk17" -XX:SharedArchiveFile="$work/app17.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off)
if [ -n "$jdk25" ] && [ -x "$jdk25/bin/java" ]; then
  login "$jdk25/bin/java" -XX:AOTCacheOutput="$work/app25.aot" > /dev/null 2>&1
  results="$results
$(measure jdk25 "$jdk25/bin/java"; measure jdk25_aot_cache "$jdk25/bin/java" -XX:AOTCache="$work/app25.aot")"
else
  echo "no JDK 25 found (JDK25=...): its rows are skipped" >&2
fi
# the naive reference of cold-start.sh (java-jwt, a default DynamoDB client, GetItem + PutItem), plain JDK 17
main=io.userhub.benchmarks.ColdStartReference
results="$results
$(measure naive_reference_jdk17 "$jdk17")"
base=$(echo "$results" | awk '$1 == "jdk17" {print $2}')
reference=$(echo "$results" | awk '$1 == "naive_reference_jdk17" {print $2}')
echo "$results" | awk -v base="$base" -v reference="$reference" -v runs="$runs" \
  '{printf "{\"setup\":\"%s\",\"runs\":%d,\"first_answer_median_ms\":%s,\"ratio_to_jdk17\":%.2f,\"ratio_to_naive_reference\":%.2f}\n", $1, runs, $2, $2 / base, $2 / reference}'
