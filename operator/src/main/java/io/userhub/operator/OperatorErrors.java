package io.userhub.operator;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns what the AWS SDK throws into one line a person at a terminal can act on: what is wrong
 * and which setting fixes it, never an SDK class name or a request id.
 */
final class OperatorErrors {
    private OperatorErrors() {}

    record Readable(String kind, String message, boolean aws) {}

    static Readable readable(RuntimeException failure, Map<String, List<String>> options) {
        String endpoint = options.getOrDefault("endpoint", List.of()).stream().findFirst().orElse(null);
        if (failure instanceof ResourceNotFoundException) {
            return new Readable("aws", "a table was not found: check --apps-table / --users-table (a stack's are its"
                    + " AppsTableName and UsersTableName outputs) and --region", true);
        }
        if (failure instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null ? "" : service.awsErrorDetails().errorCode();
            String message = service.awsErrorDetails() == null ? "" : service.awsErrorDetails().errorMessage();
            if (code != null && (code.contains("AccessDenied") || code.contains("UnrecognizedClient")
                    || code.contains("InvalidSignature") || code.contains("ExpiredToken"))) {
                return new Readable("aws", "AWS refused the credentials (" + code + "): check AWS_PROFILE or the access keys", true);
            }
            return new Readable("aws", "DynamoDB refused the request: " + (message == null || message.isBlank() ? code : message), true);
        }
        if (failure instanceof SdkClientException client) {
            String text = String.valueOf(client.getMessage()).toLowerCase(Locale.ROOT);
            if (text.contains("unable to load credentials")) {
                return new Readable("aws", "no AWS credentials found: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and"
                        + " AWS_SECRET_ACCESS_KEY), or --endpoint for a local DynamoDB", true);
            }
            if (causedBy(client, ConnectException.class) || causedBy(client, UnknownHostException.class)
                    || text.contains("connect") || text.contains("unable to execute http request")) {
                return new Readable("aws", "cannot reach DynamoDB" + (endpoint == null ? "" : " at " + endpoint)
                        + ": check --endpoint (./run-local prints its DynamoDB endpoint) or the network", true);
            }
            return new Readable("aws", "the AWS client failed: " + firstSentence(client.getMessage()), true);
        }
        String message = failure.getMessage() == null ? "" : withoutClassNames(firstSentence(failure.getMessage()));
        return new Readable("failed", message.isBlank() ? "the command failed unexpectedly" : message, false);
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /** A message that quotes a cause ("java.io.IOException: ...") keeps only the cause's words. */
    static String withoutClassNames(String message) {
        return message.replaceAll("\\b(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error)\\b:?\\s*", "").trim();
    }

    /** SDK messages append "(Service: ..., Status Code: ..., Request ID: ...)" and retry notes: one sentence is enough. */
    private static String firstSentence(String message) {
        String line = message.lines().findFirst().orElse("");
        int service = line.indexOf(" (Service:");
        return (service > 0 ? line.substring(0, service) : line).trim();
    }
}
