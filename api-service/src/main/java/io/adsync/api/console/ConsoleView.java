package io.adsync.api.console;

import io.adsync.api.common.Roles;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/**
 * What every console page's layout needs: who is signed in (a reader sees no write controls), the CSRF token for
 * forms and htmx, and which navigation entry is current.
 */
@RequestScoped
public class ConsoleView {

    @Inject
    SecurityIdentity identity;

    @Inject
    ConsoleCsrf csrf;

    public record View(String role, boolean admin, String csrf, String nav) {
    }

    public TemplateInstance page(Template template, String nav) {
        return template.data("v", view(nav));
    }

    public View view(String nav) {
        boolean admin = identity.hasRole(Roles.ADMIN);
        return new View(admin ? Roles.ADMIN : Roles.READER, admin, csrf.token(), nav);
    }

    public boolean admin() {
        return identity.hasRole(Roles.ADMIN);
    }
}
