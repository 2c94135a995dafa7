package io.adsync.api.domain;

import io.adsync.domain.AttributeMapping;
import io.adsync.domain.Security;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** Body of {@code POST /domains} and {@code PUT /domains/{id}}. Optional fields take the documented defaults. */
@Schema(name = "DomainRequest", description = "An Active Directory domain to read users from")
public record DomainRequest(
        @Schema(description = "DNS name of the domain, unique", example = "corp.example.com")
        @NotBlank @Size(max = 253)
        @Pattern(regexp = "^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$",
                message = "must be a DNS name such as corp.example.com")
        String name,

        @Schema(description = "Domain controllers (host names or IP addresses), tried in order for failover",
                example = "[\"dc1.corp.example.com\", \"dc2.corp.example.com\"]")
        @NotEmpty @Size(max = 16, message = "must list between 1 and 16 hosts")
        List<@NotBlank @Pattern(regexp = "^[A-Za-z0-9.:\\-\\[\\]]{1,253}$", message = "must be a host name or IP address") String> hosts,

        @Schema(description = "LDAP port; default 636 for LDAPS, 389 otherwise", example = "636")
        @Min(1) @Max(65535)
        Integer port,

        @Schema(description = "Transport security", example = "LDAPS")
        @NotNull
        Security security,

        @Schema(description = "PEM CA certificate(s) trusted in addition to the JVM trust store")
        @Size(max = 65536)
        String caCertificatePem,

        @Schema(description = "Bind identity: a DN or a user principal name", example = "svc-adsync@corp.example.com")
        @NotBlank @Size(max = 1024)
        String bindDn,

        @Schema(description = "Bind password. Required on create; on update, leave it out to keep the stored one. Write-only: never returned.",
                example = "s3cret!", writeOnly = true)
        @Size(min = 1, max = 1024)
        String bindPassword,

        @Schema(description = "Search base for users", example = "OU=Staff,DC=corp,DC=example,DC=com")
        @NotBlank @Size(max = 2048)
        String baseDn,

        @Schema(description = "LDAP filter (RFC 4515) selecting users", defaultValue = "(&(objectCategory=person)(objectClass=user))")
        @Size(max = 4096)
        String userFilter,

        @Schema(description = "Search base for groups; leave out (or null) to not sync groups", example = "OU=Groups,DC=corp,DC=example,DC=com")
        @Size(max = 2048)
        String groupBaseDn,

        @Schema(description = "LDAP filter (RFC 4515) selecting groups under groupBaseDn", defaultValue = "(objectClass=group)")
        @Size(max = 4096)
        String groupFilter,

        @Schema(description = "Paged-search page size; AD's MaxPageSize is 1000 by default", defaultValue = "1000")
        @Min(1) @Max(10000)
        Integer pageSize,

        @Schema(description = "Connect timeout in seconds", defaultValue = "10")
        @Min(1) @Max(300)
        Integer connectTimeoutSeconds,

        @Schema(description = "Timeout in seconds for each LDAP response", defaultValue = "60")
        @Min(1) @Max(3600)
        Integer readTimeoutSeconds,

        @Schema(description = "Directory attributes copied into each account's attributes: {source (the AD attribute), target "
                + "(the name under attributes, [a-zA-Z][a-zA-Z0-9_]{0,63}, unique, not a built-in field), type (STRING, STRINGS, "
                + "INTEGER, BOOLEAN, DATETIME, BINARY, GUID, SID, DN_REFERENCE)}, at most 64. On create, leave it out for the "
                + "defaults (department, title, company, employeeID as employeeId, telephoneNumber, mobile, "
                + "physicalDeliveryOfficeName as office, manager); on update, leave it out to keep the current mappings, "
                + "send [] for none. The mapping with target manager (type DN_REFERENCE) also links each account to its "
                + "manager's account (managerId). Changing the mappings makes the next sync of the domain a full one.",
                example = MAPPINGS_EXAMPLE)
        List<AttributeMapping> attributeMappings,

        @Schema(description = "On update: the version you read. A stale version is refused with 409.", example = "0")
        Long version) {

    static final String MAPPINGS_EXAMPLE = """
            [{"source":"department","target":"department","type":"STRING"},
             {"source":"title","target":"title","type":"STRING"},
             {"source":"employeeID","target":"employeeId","type":"STRING"},
             {"source":"physicalDeliveryOfficeName","target":"office","type":"STRING"},
             {"source":"manager","target":"manager","type":"DN_REFERENCE"},
             {"source":"proxyAddresses","target":"proxyAddresses","type":"STRINGS"},
             {"source":"pwdLastSet","target":"passwordLastSet","type":"DATETIME"},
             {"source":"thumbnailPhoto","target":"photo","type":"BINARY"}]""";
}
