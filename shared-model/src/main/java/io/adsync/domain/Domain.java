package io.adsync.domain;

import io.adsync.common.AuditedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.util.List;

/** An Active Directory domain that adsync reads from. The bind password is only ever held encrypted. */
@Entity
@Table(name = "ad_domain")
public class Domain extends AuditedEntity {

    public static final String DEFAULT_USER_FILTER = "(&(objectCategory=person)(objectClass=user))";
    public static final int DEFAULT_PAGE_SIZE = 1000;
    public static final String DEFAULT_GROUP_FILTER = "(objectClass=group)";

    public String name;

    /** Domain controllers, tried in this order (failover). */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    public List<String> hosts;

    public int port;

    @Enumerated(EnumType.STRING)
    public Security security;

    @Column(name = "ca_certificate_pem")
    public String caCertificatePem;

    @Column(name = "bind_dn")
    public String bindDn;

    /** AES-GCM ciphertext, see {@link io.adsync.crypto.SecretCipher}. Never plaintext. */
    @Column(name = "bind_password_enc")
    public byte[] bindPasswordEncrypted;

    @Column(name = "base_dn")
    public String baseDn;

    @Column(name = "user_filter")
    public String userFilter;

    /** Where groups are synced from; null: groups are not synced. */
    @Column(name = "group_base_dn")
    public String groupBaseDn;

    @Column(name = "group_filter")
    public String groupFilter = DEFAULT_GROUP_FILTER;

    @Column(name = "page_size")
    public int pageSize;

    @Column(name = "connect_timeout_seconds")
    public int connectTimeoutSeconds;

    @Column(name = "read_timeout_seconds")
    public int readTimeoutSeconds;

    /**
     * What the sync copies into the accounts' {@code attributes}. NULL (a row from before mappings existed): the
     * defaults, {@link AttributeMapping#DEFAULTS}; read it through {@link #mappings()}.
     */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "attribute_mappings", columnDefinition = "jsonb")
    public List<AttributeMapping> attributeMappings;

    /** When the mappings were last changed (the next sync is then full, and says so); null: never. */
    @Column(name = "attribute_mappings_changed_at")
    public java.time.Instant attributeMappingsChangedAt;

    /** The mappings in effect. */
    public List<AttributeMapping> mappings() {
        return AttributeMapping.effective(attributeMappings);
    }

    /** Never print the password, not even encrypted. */
    @Override
    public String toString() {
        return "Domain[" + id + ", " + name + "]";
    }
}
