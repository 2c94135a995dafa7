package io.adsync.group;

import io.adsync.common.AuditedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * A directory group mirrored from AD. The anchor is (domainId, objectGuid): renames and moves update the same row.
 * Never deleted by a sync, only deactivated (a deactivated group has no memberships). Direct memberships are in
 * {@code group_membership} (accounts) and {@code group_nesting} (groups). Written only by the worker.
 */
@Entity
@Table(name = "ad_group")
public class AdGroup extends AuditedEntity {

    @Column(name = "domain_id")
    public UUID domainId;

    @Column(name = "object_guid")
    public UUID objectGuid;

    /** cn, or sAMAccountName when there is no cn. */
    public String name;

    @Column(name = "sam_account_name")
    public String samAccountName;

    @Column(name = "distinguished_name")
    public String distinguishedName;

    public String description;

    public boolean active;

    @Column(name = "deactivation_reason")
    public String deactivationReason;

    @Column(name = "last_synced_at")
    public Instant lastSyncedAt;
}
