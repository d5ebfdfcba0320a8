package io.userhub.shared.store;

import io.userhub.shared.config.Environment;

/** The physical table names, passed in by the template (!Ref) or the local server. */
public record Tables(String apps, String users, String sessions) {

    public static Tables from(Environment env) {
        return new Tables(
                env.required(Environment.APPS_TABLE),
                env.required(Environment.USERS_TABLE),
                env.required(Environment.SESSIONS_TABLE));
    }
}
