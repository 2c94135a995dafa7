package io.adsync.ldap;

import org.apache.directory.api.ldap.model.exception.LdapInvalidDnException;
import org.apache.directory.api.ldap.model.filter.FilterParser;
import org.apache.directory.api.ldap.model.name.Dn;

import java.text.ParseException;
import java.util.Optional;

/**
 * Validates user-supplied LDAP filters and DNs with the Apache Directory LDAP API parsers, so that a filter
 * that reaches a domain controller is always well formed. Each method returns the problem, or empty if valid.
 */
public final class LdapSyntax {

    private static final int MAX_FILTER_LENGTH = 4096;

    private LdapSyntax() {
    }

    public static Optional<String> filterProblem(String filter) {
        if (filter == null || filter.isBlank()) {
            return Optional.of("must not be blank");
        }
        if (filter.length() > MAX_FILTER_LENGTH) {
            return Optional.of("must be at most " + MAX_FILTER_LENGTH + " characters");
        }
        String f = filter.trim();
        if (!f.startsWith("(") || !f.endsWith(")")) {
            return Optional.of("must be a parenthesised LDAP filter (RFC 4515), e.g. (objectClass=user)");
        }
        int depth = 0;
        for (int i = 0; i < f.length(); i++) {
            char ch = f.charAt(i);
            depth += ch == '(' ? 1 : ch == ')' ? -1 : 0;
            if (depth < 0 || depth == 0 && i < f.length() - 1) {
                return Optional.of("has unbalanced parentheses or text after the filter's end (position " + (i + 1)
                        + "); combine filters with (&...) or (|...), and escape literal parentheses as \\28 and \\29");
            }
        }
        if (depth != 0) {
            return Optional.of("has unbalanced parentheses");
        }
        try {
            FilterParser.parse(f);
            return Optional.empty();
        } catch (ParseException | RuntimeException e) {
            return Optional.of("is not a valid LDAP filter (RFC 4515): " + e.getMessage());
        }
    }

    public static Optional<String> dnProblem(String dn) {
        if (dn == null || dn.isBlank()) {
            return Optional.of("must not be blank");
        }
        try {
            Dn parsed = new Dn(dn);
            return parsed.isEmpty() ? Optional.of("must not be empty") : Optional.empty();
        } catch (LdapInvalidDnException | RuntimeException e) {
            return Optional.of("is not a valid distinguished name (RFC 4514): " + e.getMessage());
        }
    }

    /** A bind identity may be a DN ({@code CN=svc,OU=...}) or a UPN ({@code svc@example.com}). */
    public static Optional<String> bindIdentityProblem(String bindDn) {
        if (bindDn != null && !bindDn.contains("=") && bindDn.matches("[^@\\s]+@[^@\\s]+")) {
            return Optional.empty();
        }
        return dnProblem(bindDn).map(p -> "must be a DN or a user principal name (user@domain): " + p);
    }
}
