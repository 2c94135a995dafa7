package io.adsync.ldap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class LdapSyntaxTest {

    @ParameterizedTest
    @ValueSource(strings = {"(objectClass=user)", "(&(objectCategory=person)(objectClass=user))",
            "(&(objectClass=user)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))", "(cn=a\\28b\\29)", "(|(sn=Å*)(sn=山田))"})
    void acceptsWellFormedFilters(String filter) {
        assertThat(LdapSyntax.filterProblem(filter)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "objectClass=user", "(&(objectClass=user)", "(objectClass=user))",
            "(objectClass=user)(cn=x)", "()", "(objectClass=)x"})
    void rejectsMalformedFilters(String filter) {
        assertThat(LdapSyntax.filterProblem(filter)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"DC=corp,DC=example,DC=com", "OU=Zoë,DC=x", "CN=Smith\\, John,OU=Staff,DC=x"})
    void acceptsDns(String dn) {
        assertThat(LdapSyntax.dnProblem(dn)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"not a dn", "DC=x,,DC=y", "=x", " "})
    void rejectsBadDns(String dn) {
        assertThat(LdapSyntax.dnProblem(dn)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"svc@corp.example.com", "CN=svc,OU=Service,DC=corp,DC=example,DC=com"})
    void acceptsDnOrUpnAsBindIdentity(String id) {
        assertThat(LdapSyntax.bindIdentityProblem(id)).isEmpty();
    }

    @Test
    void filtersUpTo4096CharactersAreAccepted() {
        String longest = "(cn=" + "a".repeat(4096 - 5) + ")";
        assertThat(longest).hasSize(4096);
        assertThat(LdapSyntax.filterProblem(longest)).isEmpty();
        assertThat(LdapSyntax.filterProblem("(cn=" + "a".repeat(4096 - 4) + ")")).contains("must be at most 4096 characters");
    }

    @Test
    void textAfterTheFilterIsReportedAtItsPosition() {
        // the first filter closes at position 18 (1-based) and more text follows
        assertThat(LdapSyntax.filterProblem("(objectClass=user)(cn=x)")).hasValueSatisfying(p -> assertThat(p)
                .startsWith("has unbalanced parentheses or text after the filter's end (position 18)"));
        assertThat(LdapSyntax.filterProblem("(cn=x))")).hasValueSatisfying(p -> assertThat(p).contains("(position 6)"));
        assertThat(LdapSyntax.filterProblem("((cn=x)")).contains("has unbalanced parentheses");
    }

    @Test
    void surroundingWhitespaceIsIgnored() {
        assertThat(LdapSyntax.filterProblem(" \t(objectClass=user) \n")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"(cn=a(b))", "(cn=a)b)", "(&(cn=x)(sn=y)))", "(=x)", "(cn~x)"})
    void rejectsLiteralParenthesesAndBrokenItems(String filter) {
        assertThat(LdapSyntax.filterProblem(filter)).isPresent();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"svc", "not a dn", "svc@corp@example.com", "svc @corp.example.com", "@corp.example.com",
            "svc@", "DC=x,,DC=y"})
    void rejectsBindIdentitiesThatAreNeitherDnNorUpn(String id) {
        assertThat(LdapSyntax.bindIdentityProblem(id)).hasValueSatisfying(p -> assertThat(p)
                .startsWith("must be a DN or a user principal name (user@domain): "));
    }
}
