package io.adsync.api.domain;

import io.adsync.directory.DirectoryConnector;
import io.adsync.run.ErrorCategory;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** What {@code POST /domains/{id}/test} found. Never contains the bind password. */
@Schema(name = "ConnectionTest", description = "Result of a connection test: a failed test is a result too, not an HTTP error")
public record ConnectionTestResponse(
        @Schema(description = "Connected, bound, read the rootDSE and found the base DN")
        boolean ok,
        @Schema(description = "Why not, when ok is false: UNREACHABLE, TLS, AUTH, TIMEOUT or PROTOCOL (e.g. no such base DN); null when ok",
                enumeration = {"UNREACHABLE", "TLS", "AUTH", "TIMEOUT", "PROTOCOL"}, nullable = true)
        ErrorCategory category,
        @Schema(description = "What happened; when every controller failed, what happened on each")
        String message,
        @Schema(description = "The domain controller that answered, if one did", nullable = true, example = "ldaps://dc1.corp.example.com:636")
        String url,
        @Schema(description = "The controller's rootDSE dnsHostName", nullable = true)
        String dnsHostName,
        @Schema(description = "The controller's rootDSE defaultNamingContext: a hint for the base DN", nullable = true)
        String defaultNamingContext,
        @Schema(description = "Whether the configured base DN exists (and the bind account can see it)")
        boolean baseDnFound,
        @Schema(description = "How long the test took, in milliseconds")
        long durationMs,
        @Schema(description = "The domain's mapped source attributes that the DC's schema does not define (read from its "
                + "schema partition); empty: all are known; null: not checked (the test failed before, or the server "
                + "publishes no schemaNamingContext: the message says which)", nullable = true, example = "[\"extensionAttribute99\"]")
        List<String> unknownAttributes) {

    static ConnectionTestResponse of(DirectoryConnector.ConnectionTest t) {
        return new ConnectionTestResponse(t.ok(), t.category(), t.message(), t.url(), t.dnsHostName(),
                t.defaultNamingContext(), t.baseDnFound(), t.durationMs(), t.unknownAttributes());
    }
}
