package io.adsync.account;

import io.adsync.common.AuditedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A local account mirrored from Active Directory. The anchor is (domainId, objectGuid): renames and moves
 * update the same row. Accounts are never deleted by a sync, only deactivated with a reason.
 * Written only by the worker's batched upsert.
 */
@Entity
@Table(name = "account")
public class Account extends AuditedEntity {

    @Column(name = "domain_id")
    public UUID domainId;

    @Column(name = "object_guid")
    public UUID objectGuid;

    public String username;

    @Column(name = "user_principal_name")
    public String userPrincipalName;

    public String email;

    @Column(name = "display_name")
    public String displayName;

    @Column(name = "given_name")
    public String givenName;

    public String surname;

    @Column(name = "distinguished_name")
    public String distinguishedName;

    @Column(name = "user_account_control")
    public Integer userAccountControl;

    @Column(name = "account_expires")
    public Long accountExpires;

    public boolean active;

    @Column(name = "deactivation_reason")
    public String deactivationReason;

    @Column(name = "last_synced_at")
    public Instant lastSyncedAt;

    /** The domain's mapped attributes (target to value), see {@link io.adsync.domain.AttributeMapping}. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "attributes", columnDefinition = "jsonb")
    public Map<String, Object> attributes;

    /** The account of the same domain that {@code attributes.manager} names; null if none is synced. */
    @Column(name = "manager_id")
    public UUID managerId;
}
