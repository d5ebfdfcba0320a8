package io.userhub.shared.config;

import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

class DependencyFaultsTest {

    @Test
    void aWriteThatMetAnotherRequestsTransactionIsBusyNotAnInternalError() {
        TransactionConflictException conflict = TransactionConflictException.builder().message("in progress").statusCode(400).build();
        assertThat(DependencyFaults.classify(new CompletionException(conflict))).map(Problem::reason).contains(Reason.SERVICE_BUSY);
    }

    @Test
    void aRefusedConditionIsNoDependencyFault() {
        assertThat(DependencyFaults.classify(ConditionalCheckFailedException.builder().statusCode(400).build())).isEmpty();
    }
}
