package io.userhub.functions.mint;

import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.Identity;
import io.userhub.shared.model.SigningKey;
import io.userhub.shared.port.Apps;
import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.token.TokenSigner;
import io.userhub.shared.validation.IdentityRules;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Signs identity tokens for a customer's backend with the app's newest active key. The request
 * passes through the same identity rules login applies, so a minted token never fails them.
 */
public final class MintUseCase {


    public record MintedToken(String token, String kid, String type, long issuedAt, Long expiresAt, String jti) {}

    private final Apps apps;
    private final Clock clock;

    public MintUseCase(Apps apps, Clock clock) {
        this.apps = apps;
        this.clock = clock;
    }

    public AppConfig app(String appId) {
        return apps.require(appId);
    }

    /** What to sign, parsed at the edge by {@link MintRequests}. */
    public sealed interface MintCommand {
        /** Seconds the token lives (null: no exp); whether it carries a jti (single use). */
        Long expiresIn();

        boolean singleUse();

        record ExternalIdToken(String externalId, Long expiresIn, boolean singleUse) implements MintCommand {}

        record IdentitiesToken(List<Identity> identities, boolean fullPrivacy, Long expiresIn, boolean singleUse) implements MintCommand {}
    }

    public MintedToken mint(AppConfig app, MintCommand command) {
        io.userhub.shared.validation.IdentityFeature.requireEnabled(app);
        Instant now = clock.instant();
        long issuedAt = now.getEpochSecond();
        Long expiresAt = command.expiresIn() == null ? null : issuedAt + command.expiresIn();
        String jti = command.singleUse() ? Hashing.randomId() : null;

        Map<String, Object> claims = new LinkedHashMap<>();
        String type;
        if (command instanceof MintCommand.ExternalIdToken externalId) {
            type = "external_id";
            claims.put("scope", "user");
            claims.put("external_id", IdentityRules.requireUidValue("external_id", externalId.externalId(),
                    app.settings().blockedValues(), Reason.EXTERNAL_ID_INVALID));
        } else {
            MintCommand.IdentitiesToken identities = (MintCommand.IdentitiesToken) command;
            type = "identities";
            if (!identities.fullPrivacy()) {
                // The request carries no *_verified claims: what its metadata or the app's setting says decides.
                io.userhub.shared.validation.IdentityVerification.requireVerifiedUidOrEmail(io.userhub.shared.validation.IdentityVerification
                        .split(identities.identities(), null, app.settings().requireVerifiedEmail()));
            }
            IdentityRules.requireWithinLimits(identities.identities(), app.settings().rules());
            claims.put("identities", identityClaims(identities.identities()));
        }
        claims.put("iat", issuedAt);
        if (expiresAt != null) {
            claims.put("exp", expiresAt);
        }
        if (jti != null) {
            claims.put("jti", jti);
        }
        SigningKey key = app.signingKey(Instant.ofEpochSecond(issuedAt)).orElseThrow(() -> Problem.of(Reason.NO_ACTIVE_KEY).reject());
        return new MintedToken(TokenSigner.sign(key, claims), key.kid(), type, issuedAt, expiresAt, jti);
    }

    private static List<Map<String, Object>> identityClaims(List<Identity> identities) {
        List<Map<String, Object>> claims = new ArrayList<>();
        for (Identity identity : identities) {
            Map<String, Object> claim = new LinkedHashMap<>();
            claim.put("identifier", identity.identifier());
            claim.put("value", identity.value());
            if (!identity.metadata().isEmpty()) {
                claim.put("metadata", new LinkedHashMap<>(identity.metadata()));
            }
            claims.add(claim);
        }
        return claims;
    }
}
