# Called by `sam build` (Metadata: BuildMethod: makefile) with ARTIFACTS_DIR set, once per function.
# sam build's Maven workflow does not resolve sibling modules, so Maven runs here at the root and
# the one shaded jar of every handler goes to lib/, which is on the Lambda Java runtime's classpath.
# The jar is a file target that depends on the sources: the first function's build runs Maven,
# the others find it up to date and only copy it (samconfig.toml builds in source, so the
# jar survives between the per-function make runs).
MVN ?= mvn
LAMBDA_JAR = functions/target/userhub-functions-0.1.0-SNAPSHOT-lambda.jar
SOURCES := $(shell find shared/src/main functions/src/main -type f 2>/dev/null) pom.xml shared/pom.xml functions/pom.xml
FUNCTIONS = MintFunction LoginFunction IdentitiesFunction AttributesFunction LogoutFunction SessionFunction \
	RefreshNotifierFunction ExpiryNotifierFunction LookupUserFunction ExportUserFunction AuditFunction RulesDryRunFunction UnmergeFunction EraseUserFunction EndUserSessionsFunction RevokeSessionsFunction \
	ImportUsersFunction NotFoundFunction ConsoleFunction WebhookEndpointsFunction WebhookOperationsFunction WebhookFanOutFunction \
	WebhookDeliveryFunction

.PHONY: lambda-jar functions $(addprefix build-,$(FUNCTIONS))

lambda-jar: $(LAMBDA_JAR)

$(LAMBDA_JAR): $(SOURCES)
	$(MVN) -q -B -DskipTests -pl functions -am package
	@touch $@

define copy-jar
	mkdir -p "$(ARTIFACTS_DIR)/lib"
	cp $(LAMBDA_JAR) "$(ARTIFACTS_DIR)/lib/userhub-functions.jar"
endef

build-MintFunction: $(LAMBDA_JAR)
	$(copy-jar)

build-LoginFunction: $(LAMBDA_JAR)
	$(copy-jar)

build-IdentitiesFunction: $(LAMBDA_JAR)
	$(copy-jar)

build-AttributesFunction: $(LAMBDA_JAR)
	$(copy-jar)

build-LogoutFunction: $(LAMBDA_JAR)
	$(copy-jar)

build-SessionFunction: $(LAMBDA_JAR)
	$(copy-jar)

build-RefreshNotifierFunction: $(LAMBDA_JAR)
	$(copy-jar)

build-ExpiryNotifierFunction: $(LAMBDA_JAR)
	$(copy-jar)

build-LookupUserFunction: $(LAMBDA_JAR)
	$(copy-jar)

build-ExportUserFunction: $(LAMBDA_JAR)
	$(copy-jar)

build-AuditFunction: $(LAMBDA_JAR)
	$(copy-jar)

build-RulesDryRunFunction: $(LAMBDA_JAR)
	$(copy-jar)

build-UnmergeFunction: $(LAMBDA_JAR)
	$(copy-jar)

build-EraseUserFunction: $(LAMBDA_JAR)
	$(copy-jar)

build-EndUserSessionsFunction: $(LAMBDA_JAR)
	$(copy-jar)

build-RevokeSessionsFunction: $(LAMBDA_JAR)
	$(copy-jar)

build-ImportUsersFunction: $(LAMBDA_JAR)
	$(copy-jar)

build-NotFoundFunction: $(LAMBDA_JAR)
	$(copy-jar)

build-ConsoleFunction: $(LAMBDA_JAR)
	$(copy-jar)

functions:
	@echo $(FUNCTIONS)

build-WebhookEndpointsFunction: $(LAMBDA_JAR)
	$(copy-jar)

build-WebhookOperationsFunction: $(LAMBDA_JAR)
	$(copy-jar)

build-WebhookFanOutFunction: $(LAMBDA_JAR)
	$(copy-jar)

build-WebhookDeliveryFunction: $(LAMBDA_JAR)
	$(copy-jar)
