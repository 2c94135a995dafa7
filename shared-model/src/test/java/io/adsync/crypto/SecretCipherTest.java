package io.adsync.crypto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretCipherTest {

    /** base64 of the 32 bytes 0x00..0x1f */
    private static final String KEY = Base64.getEncoder().encodeToString(bytes(32, 0));
    private static final UUID OWNER = UUID.fromString("3f2504e0-4f89-11d3-9a0c-0305e82c3301");
    /** 1 format byte + 12-byte nonce + 16-byte tag. */
    private static final int OVERHEAD = 1 + 12 + 16;

    private final SecretCipher cipher = SecretCipher.fromBase64Key(KEY);

    private static byte[] bytes(int n, int first) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (first + i);
        }
        return b;
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3cret!", "", "pässwörd 山田 🔑", "a longer secret that spans more than one sixteen-byte AES block"})
    void roundTrips(String secret) {
        assertThat(cipher.decrypt(cipher.encrypt(secret, OWNER), OWNER)).isEqualTo(secret);
    }

    @Test
    void anotherCipherWithTheSameKeyDecrypts() {
        byte[] stored = cipher.encrypt("s3cret!", OWNER);
        assertThat(SecretCipher.fromBase64Key("  " + KEY + "\n").decrypt(stored, OWNER)).isEqualTo("s3cret!");
    }

    @Test
    void layoutIsVersionByteNonceBodyTag() {
        byte[] stored = cipher.encrypt("s3cret!", OWNER);
        assertThat(stored).hasSize(OVERHEAD + "s3cret!".length());
        assertThat(stored[0]).isEqualTo((byte) 1);
        // the plaintext does not appear in the clear
        assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("s3cret");
    }

    @Test
    void everyEncryptionHasAFreshRandomNonce() {
        byte[] a = cipher.encrypt("s3cret!", OWNER);
        byte[] b = cipher.encrypt("s3cret!", OWNER);
        assertThat(Arrays.copyOfRange(a, 1, 13)).isNotEqualTo(Arrays.copyOfRange(b, 1, 13)).isNotEqualTo(new byte[12]);
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void aCiphertextCopiedToAnotherRowDoesNotDecrypt() {
        byte[] stored = cipher.encrypt("s3cret!", OWNER);
        assertThatThrownBy(() -> cipher.decrypt(stored, UUID.randomUUID()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("wrong encryption key or tampered row");
    }

    @Test
    void anotherKeyDoesNotDecrypt() {
        byte[] stored = cipher.encrypt("s3cret!", OWNER);
        SecretCipher other = SecretCipher.fromBase64Key(Base64.getEncoder().encodeToString(bytes(32, 1)));
        assertThatThrownBy(() -> other.decrypt(stored, OWNER))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("wrong encryption key or tampered row");
    }

    /** A flipped bit anywhere after the version byte (nonce, body or tag) is detected, never decrypted to garbage. */
    @Test
    void everyTamperedByteIsDetected() {
        byte[] stored = cipher.encrypt("s3cret!", OWNER);
        for (int i = 1; i < stored.length; i++) {
            byte[] tampered = stored.clone();
            tampered[i] ^= 0x01;
            assertThatThrownBy(() -> cipher.decrypt(tampered, OWNER))
                    .as("byte %d flipped", i)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("wrong encryption key or tampered row");
        }
    }

    @Test
    void truncatedCiphertextIsDetected() {
        byte[] stored = cipher.encrypt("s3cret!", OWNER);
        assertThatThrownBy(() -> cipher.decrypt(Arrays.copyOf(stored, stored.length - 1), OWNER))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("wrong encryption key or tampered row");
    }

    @Test
    void unknownFormatsAreRejected() {
        byte[] stored = cipher.encrypt("s3cret!", OWNER);
        byte[] otherVersion = stored.clone();
        otherVersion[0] = 2;
        assertThatThrownBy(() -> cipher.decrypt(otherVersion, OWNER)).hasMessage("stored secret has an unknown format");
        assertThatThrownBy(() -> cipher.decrypt(null, OWNER)).hasMessage("stored secret has an unknown format");
        assertThatThrownBy(() -> cipher.decrypt(new byte[0], OWNER)).hasMessage("stored secret has an unknown format");
        // one byte short of the smallest ciphertext (that of "")
        byte[] tooShort = Arrays.copyOf(cipher.encrypt("", OWNER), OVERHEAD - 1);
        assertThatThrownBy(() -> cipher.decrypt(tooShort, OWNER)).hasMessage("stored secret has an unknown format");
    }

    @Test
    void theSmallestCiphertextIsThatOfTheEmptySecret() {
        byte[] stored = cipher.encrypt("", OWNER);
        assertThat(stored).hasSize(OVERHEAD);
        assertThat(cipher.decrypt(stored, OWNER)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 16, 24, 31, 33, 64})
    void keyMustBe32Bytes(int length) {
        String key = Base64.getEncoder().encodeToString(new byte[length]);
        assertThatThrownBy(() -> SecretCipher.fromBase64Key(key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the encryption key is not valid base64 of 32 bytes")
                .cause().hasMessageContaining("got " + length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\t\n"})
    void blankKeyIsNotConfigured(String key) {
        assertThatThrownBy(() -> SecretCipher.fromBase64Key(key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no encryption key configured");
        assertThatThrownBy(() -> SecretCipher.fromBase64Key(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no encryption key configured");
    }

    @Test
    void keyMustBeBase64() {
        assertThatThrownBy(() -> SecretCipher.fromBase64Key("not base64 at all!"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the encryption key is not valid base64 of 32 bytes");
    }
}
