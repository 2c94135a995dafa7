package io.adsync.api.common;

import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The configured API keys. Only SHA-256 hashes are configured, never keys:
 * {@code adsync.api-keys=admin:<sha256 hex>,reader:<sha256 hex>} (env {@code ADSYNC_API_KEYS}).
 * Make a key and its hash with {@code key=$(openssl rand -hex 32); printf %s "$key" | sha256sum}.
 */
@Singleton
@Startup
public class ApiKeys {

    public enum Role { admin, reader }

    private record Entry(Role role, byte[] hash) {
    }

    private static final Logger LOG = Logger.getLogger(ApiKeys.class);

    private final List<Entry> entries = new ArrayList<>();

    public ApiKeys(@ConfigProperty(name = "adsync.api-keys") Optional<List<String>> configured) {
        for (String spec : configured.orElse(List.of())) {
            String[] parts = spec.trim().split(":", 2);
            if (parts.length != 2 || !parts[1].matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException("adsync.api-keys entries must look like role:<64 hex chars of SHA-256>, got an entry starting with '"
                        + parts[0] + "'");
            }
            Role role;
            try {
                role = Role.valueOf(parts[0]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("adsync.api-keys: unknown role '" + parts[0] + "', use admin or reader");
            }
            entries.add(new Entry(role, HexFormat.of().parseHex(parts[1].toLowerCase())));
        }
        if (entries.isEmpty()) {
            LOG.warn("No API keys configured (adsync.api-keys / ADSYNC_API_KEYS): every API request will be refused with 401");
        }
    }

    /** The role of a presented key, compared in constant time against every configured hash. */
    public Optional<Role> roleOf(String presentedKey) {
        byte[] hash = sha256(presentedKey);
        Role found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.hash, hash) && found == null) {
                found = e.role;
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * A console session's reference to the key it was opened with: a fingerprint (a hash of the key's configured
     * hash, never the key or its hash) that {@link #roleOfSession} checks again on every request, so that removing
     * a key from {@code adsync.api-keys} ends the console sessions opened with it.
     */
    public record SessionKey(Role role, String fingerprint) {
    }

    /** The role and fingerprint of a presented key (constant-time compare, as {@link #roleOf}). */
    public Optional<SessionKey> sessionKeyOf(String presentedKey) {
        byte[] hash = sha256(presentedKey);
        SessionKey found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.hash, hash) && found == null) {
                found = new SessionKey(e.role, fingerprint(e.hash));
            }
        }
        return Optional.ofNullable(found);
    }

    /** The role of a console session's key fingerprint, if that key is still configured with that role. */
    public Optional<Role> roleOfSession(Role role, String fingerprint) {
        byte[] presented = fingerprint.getBytes(StandardCharsets.US_ASCII);
        Role found = null;
        for (Entry e : entries) {
            if (e.role == role && MessageDigest.isEqual(fingerprint(e.hash).getBytes(StandardCharsets.US_ASCII), presented) && found == null) {
                found = e.role;
            }
        }
        return Optional.ofNullable(found);
    }

    private static String fingerprint(byte[] hash) {
        byte[] fp = sha256("adsync-console-session:" + HexFormat.of().formatHex(hash));
        return HexFormat.of().formatHex(fp, 0, 12);
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
