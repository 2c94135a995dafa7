package io.adsync.api.console;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.vertx.web.Route;
import io.quarkus.vertx.web.RouteFilter;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The two console paths that are not REST resources: the sign-in page (open to everyone: it is where the form
 * authentication sends a browser without a session; the form posts to Quarkus' /console/j_security_check) and
 * {@code /console} itself, which goes to the home page, Scheduled Jobs. As vert.x routes they are outside
 * RolesPolicyTest's resource scan; their access is declared in application.properties.
 */
@ApplicationScoped
public class ConsoleRoutes {

    @Inject
    @Location("console/sign-in.html")
    Template signIn;

    @Route(path = "/console/sign-in", methods = Route.HttpMethod.GET, produces = "text/html")
    void signIn(RoutingContext rc) {
        String html = signIn.data("failed", rc.request().getParam("error") != null)
                .data("signedOut", rc.request().getParam("signed-out") != null).render();
        rc.response().putHeader("Content-Type", "text/html;charset=UTF-8").putHeader("Cache-Control", "no-store").end(html);
    }

    /**
     * A refused key on the sign-in form: Quarkus answers the failed form login with a bare 401 (the API's bearer
     * mechanism is registered too); the browser is sent back to the sign-in page with a message instead. A sign-in
     * posted from another site is refused ({@link #crossSite}).
     */
    @RouteFilter(1000)
    void signInFailure(RoutingContext rc) {
        if ("/console/j_security_check".equals(rc.normalizedPath())) {
            if (crossSite(rc)) {
                rc.response().setStatusCode(403).putHeader("Content-Type", ConsoleProblems.PROBLEM_JSON)
                        .end(ConsoleProblems.forbidden("the sign-in form may only be posted from this console's own sign-in page",
                                "/console/j_security_check"));
                return;
            }
            rc.addHeadersEndHandler(v -> {
                if (rc.response().getStatusCode() == 401) {
                    rc.response().setStatusCode(302);
                    rc.response().headers().remove("WWW-Authenticate");
                    rc.response().putHeader("Location", "/console/sign-in?error=1");
                }
            });
        } else if (rc.normalizedPath().startsWith("/console/") && rc.request().getCookie("adsync-console") != null) {
            // A session cookie that no longer restores a session (ended by Sign out, or its key was removed): Quarkus
            // answers a bare 401. Drop the dead cookie and go to the sign-in page (htmx: HX-Redirect), as without one.
            rc.addHeadersEndHandler(v -> {
                if (rc.response().getStatusCode() == 401) {
                    rc.response().headers().remove("WWW-Authenticate");
                    rc.response().headers().add("Set-Cookie", "adsync-console=; Path=/console; Max-Age=0; HttpOnly; SameSite=Strict");
                    if (rc.request().getHeader("HX-Request") != null) {
                        rc.response().putHeader("HX-Redirect", "/console/sign-in");
                    } else {
                        rc.response().setStatusCode(302);
                        rc.response().putHeader("Location", "/console/sign-in");
                    }
                }
            });
        }
        rc.next();
    }

    /**
     * Login CSRF: the sign-in POST can carry no CSRF token (there is no session yet to bind one to), and the session
     * cookie's SameSite=Strict does not help here: a cross-site form could sign the browser in with the attacker's
     * key. So a sign-in posted from another site is refused: by the browser's {@code Sec-Fetch-Site} (every current
     * browser sends it; only {@code same-origin} and {@code none}, a user-initiated navigation, pass), or, from a
     * browser without it, by an {@code Origin} that is not this host. A client that sends neither (curl, tests) is
     * not a browser being tricked and passes.
     */
    static boolean crossSite(RoutingContext rc) {
        String site = rc.request().getHeader("Sec-Fetch-Site");
        if (site != null) {
            return !("same-origin".equalsIgnoreCase(site) || "none".equalsIgnoreCase(site));
        }
        String origin = rc.request().getHeader("Origin");
        if (origin == null) {
            return false;
        }
        String host = rc.request().getHeader("Host");
        try {
            java.net.URI o = java.net.URI.create(origin);
            String authority = o.getPort() < 0 ? o.getHost() : o.getHost() + ":" + o.getPort();
            return host == null || o.getHost() == null || !(authority.equalsIgnoreCase(host) || o.getHost().equalsIgnoreCase(host));
        } catch (IllegalArgumentException e) {
            return true; // "null" or garbage: an opaque origin
        }
    }

    @Route(path = "/console", methods = Route.HttpMethod.GET)
    void home(RoutingContext rc) {
        rc.response().setStatusCode(302).putHeader("Location", "/console/jobs").end();
    }
}
