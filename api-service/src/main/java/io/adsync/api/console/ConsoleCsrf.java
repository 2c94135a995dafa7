package io.adsync.api.console;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The console's CSRF token: a signed double-submit cookie. A random nonce lives in an HttpOnly, SameSite=Strict
 * cookie ({@value #COOKIE}, path /console); the token is HMAC-SHA256(nonce + signed-in principal) under a server key.
 * Pages put the token into every form ({@value #FIELD}) and into htmx's request header ({@value #HEADER});
 * {@link ConsoleCsrfFilter} refuses a state-changing console request whose token does not match its cookie and
 * session. The server key is derived from {@code quarkus.http.auth.session.encryption-key} (the session cookie's
 * key), so every replica agrees; without one, a random key per process (as Quarkus does for the session cookie).
 */
@RequestScoped
public class ConsoleCsrf {

    public static final String COOKIE = "adsync-csrf";
    public static final String FIELD = "csrf";
    public static final String HEADER = "X-CSRF-Token";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] PROCESS_KEY = new byte[32];

    static {
        RANDOM.nextBytes(PROCESS_KEY);
    }

    @Inject
    RoutingContext routing;

    @Inject
    SecurityIdentity identity;

    @ConfigProperty(name = "quarkus.http.auth.session.encryption-key")
    Optional<String> sessionKey;

    private String token;

    /** This session's token; sets the nonce cookie if the browser has none yet. */
    public String token() {
        if (token == null) {
            Cookie cookie = routing.request().getCookie(COOKIE);
            String nonce = cookie == null ? null : cookie.getValue();
            if (nonce == null || !nonce.matches("[0-9a-f]{64}")) {
                byte[] n = new byte[32];
                RANDOM.nextBytes(n);
                nonce = HexFormat.of().formatHex(n);
                routing.response().addCookie(Cookie.cookie(COOKIE, nonce).setPath("/console").setHttpOnly(true)
                        .setSameSite(CookieSameSite.STRICT).setSecure(routing.request().isSSL()));
            }
            token = sign(nonce);
        }
        return token;
    }

    /** Whether {@code presented} is the token of this request's cookie and session. */
    boolean valid(String presented) {
        Cookie cookie = routing.request().getCookie(COOKIE);
        if (presented == null || cookie == null || !cookie.getValue().matches("[0-9a-f]{64}")) {
            return false;
        }
        return MessageDigest.isEqual(sign(cookie.getValue()).getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.US_ASCII));
    }

    private String sign(String nonce) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            byte[] key = sessionKey.filter(k -> !k.isBlank())
                    .map(k -> sha256("adsync-console-csrf:" + k))
                    .orElse(PROCESS_KEY);
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            String principal = identity.isAnonymous() ? "" : identity.getPrincipal().getName();
            return HexFormat.of().formatHex(mac.doFinal((nonce + "|" + principal).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
