package io.adsync.api.common;

/**
 * The roles an API key can have ({@code adsync.api-keys=admin:<sha256>,reader:<sha256>}). Every resource method
 * declares who may call it with {@code @RolesAllowed}: reads ({@link #READ}) are open to both roles, everything else
 * to {@link #ADMIN} only. A method without a declaration is refused to everyone
 * ({@code quarkus.security.jaxrs.deny-unannotated-endpoints=true}).
 */
public final class Roles {

    public static final String ADMIN = "admin";
    public static final String READER = "reader";

    private Roles() {
    }
}
