package io.adsync.api.domain;

import io.adsync.domain.AttributeMapping;
import io.adsync.domain.Domain;
import io.adsync.domain.Security;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A domain as the API shows it: the bind password is never included, only whether one is set. */
@Schema(name = "Domain")
public record DomainResponse(UUID id, String name, List<String> hosts, int port, Security security,
                             String caCertificatePem, String bindDn,
                             @Schema(description = "Always true: a password is required; it is never returned") boolean bindPasswordSet,
                             String baseDn, String userFilter,
                             @Schema(description = "Search base for groups; null when groups are not synced") String groupBaseDn,
                             String groupFilter, int pageSize, int connectTimeoutSeconds,
                             int readTimeoutSeconds,
                             @Schema(description = "What the sync copies into each account's attributes (see DomainRequest)")
                             List<AttributeMapping> attributeMappings,
                             @Schema(description = "When the mappings were last changed; null: never since the domain was created")
                             Instant attributeMappingsChangedAt,
                             Instant createdAt, Instant updatedAt, long version) {

    static DomainResponse of(Domain d) {
        return new DomainResponse(d.id, d.name, d.hosts, d.port, d.security, d.caCertificatePem, d.bindDn,
                d.bindPasswordEncrypted != null, d.baseDn, d.userFilter, d.groupBaseDn, d.groupFilter, d.pageSize, d.connectTimeoutSeconds,
                d.readTimeoutSeconds, d.mappings(), d.attributeMappingsChangedAt, d.createdAt, d.updatedAt, d.version);
    }
}
