package io.userhub.shared.webhook;

import java.time.Duration;
import java.util.Optional;

/**
 * One delivery attempt's outcome: the answer's status (0 for none: a timeout, a refused or failed
 * connection), what to do next ({@link DeliveryPolicy}), the {@code Retry-After} it asked for, why
 * it failed and the start of the answer, for the delivery's log.
 */
public record DeliveryAttempt(int status, DeliveryPolicy.Verdict verdict, Optional<Duration> retryAfter, String error,
                              String responseStart, Duration took) {}
