#!/usr/bin/env bash
# The first login in a fresh JVM (benchmarks' ColdStart on the packaged Lambda jar, as cold-start.sh
# runs it) for another revision and for this working tree, in N interleaved pairs against one local
# server, and the medians: what a change did to the cold start, measured in one invocation.
#   benchmarks/cold-start-compare.sh <revision> [pairs, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:?usage: benchmarks/cold-start-compare.sh <revision> [pairs]}
runs=${2:-10}
other=$(mktemp -d)
git worktree add -f -q "$other" "$rev"
mvn -q -B -DskipTests -f "$other/pom.xml" -pl functions,benchmarks -am package > /dev/null 2>&1
. benchmarks/local-server.sh
trap 'kill $server 2>/dev/null || true; rm -f "$banner" "$banner".*; git worktree remove --force "$other"' EXIT
other_jar=$(ls "$other"/functions/target/userhub-functions-*-lambda.jar)
: > "$banner.other"; : > "$banner.this"
for _ in $(seq 1 "$runs"); do
  java -cp "$other_jar:$other/benchmarks/target/classes" io.userhub.benchmarks.ColdStart "$app" "$kid" "$secret" | grep '"what"' | tee -a "$banner.other"
  java -cp "$lambda_jar:benchmarks/target/classes" io.userhub.benchmarks.ColdStart "$app" "$kid" "$secret" | grep '"what"' | tee -a "$banner.this"
done
if grep -hv '"status":200' "$banner.other" "$banner.this"; then echo "cold-start-compare: the runs above were not answered 200" >&2; exit 1; fi
ms() { sed -E 's/.*"first_answer_ms":([0-9]+).*/\1/' "$1" | median; }
classes() { sed -E 's/.*"classes_loaded":([0-9]+).*/\1/' "$1" | median; }
echo "{\"runs\":$runs,\"revision\":\"$rev\",\"revision_median_ms\":$(ms "$banner.other"),\"this_median_ms\":$(ms "$banner.this"),\"revision_classes\":$(classes "$banner.other"),\"this_classes\":$(classes "$banner.this")}"
