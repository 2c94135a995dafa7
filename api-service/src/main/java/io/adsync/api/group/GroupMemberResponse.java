package io.adsync.api.group;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.UUID;

@Schema(name = "GroupMember", description = "A member of a group: an account (id is an account id, see /accounts/{id}) "
        + "or a nested group (id is a group id)")
public record GroupMemberResponse(
        @Schema(description = "ACCOUNT or GROUP") String type,
        UUID id,
        @Schema(description = "An account's username, or a group's name") String name,
        @Schema(description = "An account's display name; null for groups") String displayName,
        String distinguishedName,
        boolean active) {
}
