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
     * mechanism is registered too); the browser is sent back to the sign-in page with a message instead.
     */
    @RouteFilter(1000)
    void signInFailure(RoutingContext rc) {
        if ("/console/j_security_check".equals(rc.normalizedPath())) {
            rc.addHeadersEndHandler(v -> {
                if (rc.response().getStatusCode() == 401) {
                    rc.response().setStatusCode(302);
                    rc.response().headers().remove("WWW-Authenticate");
                    rc.response().putHeader("Location", "/console/sign-in?error=1");
                }
            });
        }
        rc.next();
    }

    @Route(path = "/console", methods = Route.HttpMethod.GET)
    void home(RoutingContext rc) {
        rc.response().setStatusCode(302).putHeader("Location", "/console/jobs").end();
    }
}
