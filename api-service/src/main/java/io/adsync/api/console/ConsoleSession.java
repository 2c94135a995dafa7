package io.adsync.api.console;

import io.adsync.api.common.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.FormAuthenticationMechanism;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import java.net.URI;

/**
 * Sign-out: ends the console session (records its id in {@link ConsoleSignOuts}, so that no copy of the cookie
 * works any more, and removes the session cookie and the CSRF nonce). A POST with the CSRF token,
 * open to both roles: it changes nothing but the caller's own session (RolesPolicyTest lists it as the one write
 * a reader may make).
 */
@Path("/console/session")
public class ConsoleSession {

    @Inject
    SecurityIdentity identity;

    @Inject
    ConsoleSignOuts signOuts;

    @POST
    @Path("sign-out")
    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signOut() {
        // the cookie is stateless: clearing it is not enough, a copy of it would still work until its idle timeout
        ConsoleIdentityProviders.sessionId(identity.getPrincipal().getName()).ifPresent(signOuts::end);
        FormAuthenticationMechanism.logout(identity);
        return Response.seeOther(URI.create("/console/sign-in?signed-out=1"))
                .cookie(new NewCookie.Builder(ConsoleCsrf.COOKIE).path("/console").value("").maxAge(0).httpOnly(true).build())
                .build();
    }
}
