#!/usr/bin/env bash
# First login in a fresh JVM, on the packaged Lambda jar (what sam build ships), against the local
# server's DynamoDB Local, N interleaved pairs of userhub's LoginHandler and a naive reference
# (java-jwt + a default DynamoDB client, one GetItem, one PutItem); prints each run and the medians.
# Then the SnapStart view: the first real login after the priming a checkpoint runs, beside the
# same first login unprimed (time of that login alone, and the classes it still had to load).
#   benchmarks/cold-start.sh [pairs, default 10]     (JAVA=/path/to/java to try another JDK)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
java=${JAVA:-java}
. benchmarks/local-server.sh
# a run whose login was refused measured an early refusal, not a login: stop rather than report it
all_logged_in() {
  if grep -hv '"status":200' "$@"; then echo "cold-start: the runs above were not answered 200" >&2; exit 1; fi
}
# the SnapStart probe (functions' test classes): priming as the checkpoint runs it, then a first real login
probe=functions/target/test-classes
cp="$lambda_jar:benchmarks/target/classes"
# Interleaved pairs (userhub, reference, userhub, reference, ...): the machine's drift between
# runs falls on both sides alike, which two blocks one after the other would not.
: > "$banner.io.userhub.benchmarks.ColdStart"; : > "$banner.io.userhub.benchmarks.ColdStartReference"
for _ in $(seq 1 "$runs"); do
  for main in io.userhub.benchmarks.ColdStart io.userhub.benchmarks.ColdStartReference; do
    # the handler's own JSON request line goes by; the run's report is the line with "what"
    "$java" -cp "$cp" "$main" "$app" "$kid" "$secret" | grep '"what"' | tee -a "$banner.$main"
  done
done
all_logged_in "$banner.io.userhub.benchmarks.ColdStart" "$banner.io.userhub.benchmarks.ColdStartReference"
ms() { sed -E 's/.*"first_answer_ms":([0-9]+).*/\1/' "$1" | median; }
classes() { sed -E 's/.*"classes_loaded":([0-9]+).*/\1/' "$1" | median; }
u_ms=$(ms "$banner.io.userhub.benchmarks.ColdStart"); r_ms=$(ms "$banner.io.userhub.benchmarks.ColdStartReference")
u_cl=$(classes "$banner.io.userhub.benchmarks.ColdStart"); r_cl=$(classes "$banner.io.userhub.benchmarks.ColdStartReference")
echo "{\"runs\":$runs,\"userhub_median_ms\":$u_ms,\"reference_median_ms\":$r_ms,\"ratio\":$(awk "BEGIN {printf \"%.2f\", $u_ms / $r_ms}"),\"userhub_classes\":$u_cl,\"reference_classes\":$r_cl}"
# SnapStart: the first real login after the priming a checkpoint runs, beside the same login unprimed
: > "$banner.primed"; : > "$banner.unprimed"
for _ in $(seq 1 "$runs"); do
  for mode in primed unprimed; do
    "$java" -cp "$lambda_jar:$probe" io.userhub.functions.support.PrimedFirstLogin "$app" "$kid" "$secret" "$mode" \
      | grep '"what"' | tee -a "$banner.$mode"
  done
done
all_logged_in "$banner.primed" "$banner.unprimed"
us() { sed -E 's/.*"first_login_us":([0-9]+).*/\1/' "$1" | median; }
new_classes() { sed -E 's/.*"first_login_new_classes":([0-9]+).*/\1/' "$1" | median; }
p_us=$(us "$banner.primed"); n_us=$(us "$banner.unprimed")
echo "{\"runs\":$runs,\"primed_first_login_median_us\":$p_us,\"unprimed_first_login_median_us\":$n_us,\"ratio\":$(awk "BEGIN {printf \"%.2f\", $p_us / $n_us}"),\"primed_new_classes\":$(new_classes "$banner.primed"),\"unprimed_new_classes\":$(new_classes "$banner.unprimed")}"
