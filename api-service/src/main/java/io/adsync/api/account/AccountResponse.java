package io.adsync.api.account;

import io.adsync.account.Account;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.UUID;

@Schema(name = "Account", description = "A local account mirrored from AD. objectGuid is the immutable anchor.")
public record AccountResponse(UUID id, UUID domainId, UUID objectGuid, String username, String userPrincipalName,
                              String email, String displayName, String givenName, String surname,
                              String distinguishedName, Integer userAccountControl, Long accountExpires, boolean active,
                              String deactivationReason, Instant lastSyncedAt, Instant createdAt, Instant updatedAt) {

    static AccountResponse of(Account a) {
        return new AccountResponse(a.id, a.domainId, a.objectGuid, a.username, a.userPrincipalName, a.email,
                a.displayName, a.givenName, a.surname, a.distinguishedName, a.userAccountControl, a.accountExpires,
                a.active, a.deactivationReason, a.lastSyncedAt, a.createdAt, a.updatedAt);
    }
}
