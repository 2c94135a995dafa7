package io.adsync.api.account;

import io.adsync.account.Account;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

@Schema(name = "Account", description = "A local account mirrored from AD. objectGuid is the immutable anchor.")
public record AccountResponse(UUID id, UUID domainId, UUID objectGuid, String username, String userPrincipalName,
                              String email, String displayName, String givenName, String surname,
                              String distinguishedName, Integer userAccountControl, Long accountExpires, boolean active,
                              String deactivationReason,
                              @Schema(description = "The domain's mapped attributes, by target: strings, lists of strings "
                                      + "(STRINGS), numbers (INTEGER), booleans, ISO-8601 instants (DATETIME), base64 "
                                      + "(BINARY), canonical GUID and SID strings; manager is the manager's DN. An attribute "
                                      + "the user does not have is left out.",
                                      example = "{\"department\":\"Sales\",\"title\":\"Account Manager\",\"employeeId\":\"E00042\","
                                              + "\"office\":\"Building 2\",\"manager\":\"CN=Anna Adams,OU=Staff,DC=corp,DC=example,DC=com\"}")
                              Map<String, Object> attributes,
                              @Schema(description = "The account (same domain) of the manager that attributes.manager names; "
                                      + "null when there is none or the manager is not synced (outside the base DN or filter)",
                                      nullable = true)
                              UUID managerId,
                              Instant lastSyncedAt, Instant createdAt, Instant updatedAt) {

    static AccountResponse of(Account a) {
        return new AccountResponse(a.id, a.domainId, a.objectGuid, a.username, a.userPrincipalName, a.email,
                a.displayName, a.givenName, a.surname, a.distinguishedName, a.userAccountControl, a.accountExpires,
                a.active, a.deactivationReason, a.attributes == null ? Map.of() : a.attributes, a.managerId,
                a.lastSyncedAt, a.createdAt, a.updatedAt);
    }
}
