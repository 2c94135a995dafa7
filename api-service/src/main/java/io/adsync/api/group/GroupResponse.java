package io.adsync.api.group;

import io.adsync.group.AdGroup;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.UUID;

@Schema(name = "Group", description = "A directory group mirrored from AD. objectGuid is the immutable anchor: a renamed or "
        + "moved group keeps its id. A group gone from the directory is inactive and has no members.")
public record GroupResponse(UUID id, UUID domainId, UUID objectGuid,
                            @Schema(description = "cn, or sAMAccountName when there is no cn") String name,
                            String samAccountName, String distinguishedName, String description, boolean active,
                            String deactivationReason, Instant lastSyncedAt, Instant createdAt, Instant updatedAt) {

    static GroupResponse of(AdGroup g) {
        return new GroupResponse(g.id, g.domainId, g.objectGuid, g.name, g.samAccountName, g.distinguishedName,
                g.description, g.active, g.deactivationReason, g.lastSyncedAt, g.createdAt, g.updatedAt);
    }
}
