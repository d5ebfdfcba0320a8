# Sourced by the cold-start scripts: builds the packaged jars, starts the local server (its
# DynamoDB Local and demo app) for the runs, stops it on exit, and sets what the probes need:
# lambda_jar, app, kid, secret, the AWS_* and *_TABLE variables, and median (stdin -> median).
mvn -q -B -DskipTests -pl functions,local,benchmarks -am package > /dev/null 2>&1
lambda_jar=$(ls functions/target/userhub-functions-*-lambda.jar)
banner=$(mktemp)
# the apps' signing secrets are sealed under a local key file: the probes must open the same one
export SECRETS_LOCAL_KEY_FILE="$banner.secrets.key"
java -jar local/target/userhub-local.jar --port 0 > "$banner" 2>/dev/null &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$banner" "$banner".*' EXIT
for _ in $(seq 1 60); do grep -q '"url"' "$banner" && break; sleep 1; done
field() { sed -E "s/.*\"$1\":\"([^\"]*)\".*/\1/" "$banner"; }
export AWS_ENDPOINT_URL_DYNAMODB=$(field dynamodb) AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local
export APPS_TABLE=AppsTable USERS_TABLE=UsersTable SESSIONS_TABLE=SessionsTable WEBHOOKS_TABLE=WebhooksTable
app=$(field app_id) kid=$(field kid) secret=$(field secret)
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
