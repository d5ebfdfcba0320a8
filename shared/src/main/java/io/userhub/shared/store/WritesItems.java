package io.userhub.shared.store;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the one class that builds the writes of these item types and holds their key patterns.
 * Other classes compose its writes into requests and transactions; they build none themselves.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface WritesItems {
    ItemType[] value();
}
