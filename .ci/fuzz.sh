#!/usr/bin/env bash
# Coverage-guided fuzzing of userhub's parsers with Jazzer (the @FuzzTest targets), each for the
# maxDuration its annotation states (60 s). Not part of .ci/run (it takes about 15 minutes); the
# figures go in docs/security.md. In `mvn verify` the same targets run on their corpus only
# (src/test/resources/.../<Class>Inputs/), as regression tests.
#   .ci/fuzz.sh            every target
#   .ci/fuzz.sh Token      the targets whose class name contains "Token"
# A finding is saved by Jazzer as a crash-* file in the target's Inputs directory, where it then
# runs as a regression test; this script exits non-zero if any target failed.
set -uo pipefail
cd "$(dirname "$0")/.."
filter=${1:-}
targets=(
  "shared io.userhub.shared.token.TokenFuzzTest#anyTokenIsVerifiedOrRefused"
  "shared io.userhub.shared.token.TokenFuzzTest#anySignedPayloadIsReadOrRefused"
  "shared io.userhub.shared.token.TokenFuzzTest#anyJwkSetIsParsedIntoUsableKeys"
  "shared io.userhub.shared.store.AuditCursorFuzzTest#anyCursorIsPositionsOrRefused"
  "shared io.userhub.shared.validation.RequestBodyFuzzTest#anyBodyIsAnObjectOrRefused"
  "shared io.userhub.shared.validation.RequestBodyFuzzTest#anyIdentitiesAreValidOrRefused"
  "shared io.userhub.shared.validation.RequestBodyFuzzTest#anyAttributeBatchIsReadOrRefused"
  "functions io.userhub.functions.login.LoginRequestsFuzzTest#anyLoginRequestIsACommandOrRefused"
  "functions io.userhub.functions.mint.MintRequestsFuzzTest#anyMintRequestIsACommandOrRefused"
  "functions io.userhub.functions.rules.RulesDryRunRequestsFuzzTest#anyDryRunBodyIsParsedOrRefused"
  "functions io.userhub.functions.users.ImportFileFuzzTest#anyFileIsReadOrRefused"
  "functions io.userhub.functions.audit.AuditQueryFuzzTest#anyQueryIsAPageRequestOrA400"
  "functions io.userhub.functions.session.RevokeRequestFuzzTest#anyInstantIsParsedOrRefused"
)
mvn -q -B -DskipTests install -pl shared,devkit,testkit -am > /dev/null || { echo "build failed"; exit 1; }
failed=0
printf '| target | executions | seconds | crashes |\n|---|---|---|---|\n'
for entry in "${targets[@]}"; do
  module=${entry%% *}
  target=${entry#* }
  [[ -z "$filter" || "$target" == *"$filter"* ]] || continue
  log=$(mktemp)
  JAZZER_FUZZ=1 mvn -B test -pl "$module" -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false > "$log" 2>&1
  status=$?
  runs=$(grep -oE 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -n 1)
  crashes=$(grep -c '== Java Exception' "$log")
  [ "$status" = 0 ] || { failed=1; [ "$crashes" = 0 ] && crashes="build failed ($log)"; }
  printf '| %s | %s | %s | %s |\n' "${target##*.}" "$(echo "$runs" | awk '{print $2}')" "$(echo "$runs" | awk '{print $5}')" "$crashes"
  [ "$status" = 0 ] && rm -f "$log"
done
exit "$failed"
