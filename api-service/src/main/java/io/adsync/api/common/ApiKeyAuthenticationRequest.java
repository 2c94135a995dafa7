package io.adsync.api.common;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** An API key as presented in {@code Authorization: Bearer <key>}, for {@link ApiKeyIdentityProvider}. */
public final class ApiKeyAuthenticationRequest extends BaseAuthenticationRequest {

    private final String key;

    public ApiKeyAuthenticationRequest(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** Never the key itself: requests can end up in debug logs. */
    @Override
    public String toString() {
        return "ApiKeyAuthenticationRequest[key=***]";
    }
}
