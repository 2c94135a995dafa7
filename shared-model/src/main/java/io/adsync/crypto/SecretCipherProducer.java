package io.adsync.crypto;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Makes the one {@link SecretCipher} of an app from {@code adsync.encryption-key} (env {@code ADSYNC_ENCRYPTION_KEY}). */
public class SecretCipherProducer {

    @Produces
    @Singleton
    SecretCipher secretCipher(@ConfigProperty(name = "adsync.encryption-key") String base64Key) {
        return SecretCipher.fromBase64Key(base64Key);
    }
}
