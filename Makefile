# Called by `sam build` (Metadata: BuildMethod: makefile) with ARTIFACTS_DIR set, once per function.
# sam build's Maven workflow does not resolve sibling modules, so Maven runs here at the root and
# the one shaded jar of every handler goes to lib/, which is on the Lambda Java runtime's classpath.
MVN ?= mvn
LAMBDA_JAR = functions/target/userhub-functions-0.1.0-SNAPSHOT-lambda.jar

.PHONY: lambda-jar build-MintFunction build-LoginFunction build-IdentitiesFunction build-AttributesFunction build-LogoutFunction build-SessionFunction build-RefreshNotifierFunction build-ExpiryNotifierFunction build-LookupUserFunction build-EraseUserFunction build-EndUserSessionsFunction build-ImportUsersFunction build-NotFoundFunction

lambda-jar:
	$(MVN) -q -B -DskipTests -pl functions -am package

define copy-jar
	mkdir -p "$(ARTIFACTS_DIR)/lib"
	cp $(LAMBDA_JAR) "$(ARTIFACTS_DIR)/lib/userhub-functions.jar"
endef

build-MintFunction: lambda-jar
	$(copy-jar)

build-LoginFunction: lambda-jar
	$(copy-jar)

build-IdentitiesFunction: lambda-jar
	$(copy-jar)

build-AttributesFunction: lambda-jar
	$(copy-jar)

build-LogoutFunction: lambda-jar
	$(copy-jar)

build-SessionFunction: lambda-jar
	$(copy-jar)

build-RefreshNotifierFunction: lambda-jar
	$(copy-jar)

build-ExpiryNotifierFunction: lambda-jar
	$(copy-jar)

build-LookupUserFunction: lambda-jar
	$(copy-jar)

build-EraseUserFunction: lambda-jar
	$(copy-jar)

build-EndUserSessionsFunction: lambda-jar
	$(copy-jar)

build-ImportUsersFunction: lambda-jar
	$(copy-jar)

build-NotFoundFunction: lambda-jar
	$(copy-jar)
