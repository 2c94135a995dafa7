package io.adsync.ldap;

import org.junit.jupiter.params.ParameterizedTest;
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
}
