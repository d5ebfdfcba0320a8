package io.userhub.devkit;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

import java.util.UUID;

/**
 * A Lambda context outside Lambda: the function's name and the time left before a deadline, so
 * that a request's time budget works in the local server (the template's Timeout) and in tests
 * as it does on Lambda.
 */
public final class LambdaContext implements Context {
    private final String functionName;
    private final long deadlineMillis;
    private final String requestId = UUID.randomUUID().toString();

    private LambdaContext(String functionName, long deadlineMillis) {
        this.functionName = functionName;
        this.deadlineMillis = deadlineMillis;
    }

    /** A context whose remaining time starts at {@code remaining} now. */
    public static LambdaContext withRemaining(String functionName, java.time.Duration remaining) {
        return new LambdaContext(functionName, System.currentTimeMillis() + remaining.toMillis());
    }

    @Override public String getAwsRequestId() { return requestId; }
    @Override public String getLogGroupName() { return "/aws/lambda/" + functionName; }
    @Override public String getLogStreamName() { return "local"; }
    @Override public String getFunctionName() { return functionName; }
    @Override public String getFunctionVersion() { return "$LATEST"; }
    @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:local:000000000000:function:" + functionName; }
    @Override public CognitoIdentity getIdentity() { return null; }
    @Override public ClientContext getClientContext() { return null; }
    @Override public int getRemainingTimeInMillis() { return (int) Math.max(0, deadlineMillis - System.currentTimeMillis()); }
    @Override public int getMemoryLimitInMB() { return 1024; }
    @Override public LambdaLogger getLogger() { return null; }
}
