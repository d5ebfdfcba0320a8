package io.userhub.functions.support;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/** Skips a Testcontainers class, saying why, where no Docker engine answers. */
public final class RequiresDocker implements ExecutionCondition {
    private static Boolean available;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (dockerAvailable()) {
            return ConditionEvaluationResult.enabled("Docker engine available");
        }
        String message = "SKIPPED " + context.getDisplayName()
                + ": no Docker engine on this machine, so the LocalStack run of these cases is skipped; they ran against DynamoDB Local.";
        System.err.println(message);
        return ConditionEvaluationResult.disabled(message);
    }

    private static synchronized boolean dockerAvailable() {
        if (available == null) {
            try {
                available = DockerClientFactory.instance().isDockerAvailable();
            } catch (RuntimeException | LinkageError e) {
                available = false;
            }
        }
        return available;
    }
}
