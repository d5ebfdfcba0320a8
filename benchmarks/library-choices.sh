#!/usr/bin/env bash
# The measurements behind two library choices (docs/decisions.md): userhub's 77-line CSV reader
# against commons-csv on the 10,000-row import file, and the operator's option loop against
# picocli for one command. Prints times (ms) and classes loaded. Fetches commons-csv, commons-io,
# commons-codec and picocli from Maven Central into ~/.m2 if they are not there.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
m2="${HOME}/.m2/repository"
for artifact in org.apache.commons:commons-csv:1.14.1 commons-io:commons-io:2.20.0 commons-codec:commons-codec:1.19.0 info.picocli:picocli:4.7.7; do
  mvn -B -q dependency:get -Dartifact="$artifact" >/dev/null
done
mvn -B -q compile -pl functions -am >/dev/null
csv="$m2/org/apache/commons/commons-csv/1.14.1/commons-csv-1.14.1.jar:$m2/commons-io/commons-io/2.20.0/commons-io-2.20.0.jar:$m2/commons-codec/commons-codec/1.19.0/commons-codec-1.19.0.jar"
picocli="$m2/info/picocli/picocli/4.7.7/picocli-4.7.7.jar"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
javac -d "$out" -cp "functions/target/classes:$csv:$picocli" benchmarks/library-choices/*.java

echo "CSV: parse the 10,000-row file once in a fresh JVM, then 20 times (ms), and the classes the single parse loads"
for parser in ours commons; do
  java -Xlog:class+load:file="$out/classes-$parser.txt" -cp "functions/target/classes:$csv:$out" CsvParsers "$parser" 1
  java -cp "functions/target/classes:$csv:$out" CsvParsers "$parser" 20
  echo "$parser: $(grep -c 'source:' "$out/classes-$parser.txt") classes loaded"
done

echo "Options: one operator-like command in a fresh JVM, $runs runs (ms), and classes loaded"
for parser in HandOptions PicocliOptions; do
  times=()
  for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    java -Xlog:class+load:file="$out/classes-$parser.txt" -cp "$picocli:$out" "$parser" create-app --domain d --app a >/dev/null
    times+=($(( ($(date +%s%N) - start) / 1000000 )))
  done
  echo "$parser: ${times[*]} ms; $(grep -c 'source:' "$out/classes-$parser.txt") classes loaded"
done
