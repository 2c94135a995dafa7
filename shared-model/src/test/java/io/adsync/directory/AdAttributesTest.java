package io.adsync.directory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdAttributesTest {

    /**
     * Samba's own NDR encoding of a GUID (the bytes AD stores in objectGUID), from
     * {@code ndr_pack(misc.GUID('3f2504e0-4f89-11d3-9a0c-0305e82c3301'))} with Samba's Python bindings.
     */
    @Test
    void guidMatchesSambasWireFormat() {
        byte[] wire = HexFormat.of().parseHex("e004253f894fd3119a0c0305e82c3301");
        assertThat(Base64.getEncoder().encodeToString(wire)).isEqualTo("4AQlP4lP0xGaDAMF6CwzAQ==");
        assertThat(AdAttributes.guidToUuid(wire)).isEqualTo(UUID.fromString("3f2504e0-4f89-11d3-9a0c-0305e82c3301"));
        assertThat(AdAttributes.uuidToGuid(UUID.fromString("3f2504e0-4f89-11d3-9a0c-0305e82c3301"))).isEqualTo(wire);
    }

    /**
     * A real pair from the Samba AD fixture: {@code ldapsearch} printed {@code objectGUID:: <base64>} for the
     * user Administrator, {@code samba-tool user show Administrator} printed {@code objectGUID: <uuid>}.
     */
    @Test
    void guidMatchesARealDirectoryPair() {
        byte[] fromLdapsearch = Base64.getDecoder().decode("K8+Up7J/N06vBr2CYN+9oQ==");
        assertThat(AdAttributes.guidToUuid(fromLdapsearch)).isEqualTo(UUID.fromString("a794cf2b-7fb2-4e37-af06-bd8260dfbda1"));
        assertThat(AdAttributes.uuidToGuid(UUID.fromString("a794cf2b-7fb2-4e37-af06-bd8260dfbda1"))).isEqualTo(fromLdapsearch);
    }

    @Test
    void guidRoundTripsAndIsNotJustTheBytesInOrder() {
        for (int i = 0; i < 1000; i++) {
            UUID u = new UUID(ThreadLocalRandom.current().nextLong(), ThreadLocalRandom.current().nextLong());
            assertThat(AdAttributes.guidToUuid(AdAttributes.uuidToGuid(u))).isEqualTo(u);
        }
        byte[] ordered = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
        assertThat(AdAttributes.guidToUuid(ordered).toString()).isEqualTo("33221100-5544-7766-8899-aabbccddeeff");
    }

    @Test
    void guidMustBe16Bytes() {
        assertThatThrownBy(() -> AdAttributes.guidToUuid(new byte[15])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AdAttributes.guidToUuid(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 514, 546, 66050, 66082, 514 | 0x10})
    void accountDisableBitMeansDisabled(int uac) {
        assertThat(AdAttributes.isDisabled(uac)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {512, 544, 66048, 4096, 512 | 0x10, 0})
    void withoutTheBitEnabled(int uac) {
        assertThat(AdAttributes.isDisabled(uac)).isFalse();
    }

    @Test
    void absentUacIsNotDisabled() {
        assertThat(AdAttributes.isDisabled(null)).isFalse();
    }

    @Test
    void fileTimeConversions() {
        // 2024-01-01T00:00:00Z = 133485408000000000 (100 ns ticks since 1601)
        assertThat(AdAttributes.toFileTime(Instant.parse("2024-01-01T00:00:00Z"))).isEqualTo(133_485_408_000_000_000L);
        assertThat(AdAttributes.fromFileTime(133_485_408_000_000_000L)).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(AdAttributes.fromFileTime(0)).isEqualTo(Instant.parse("1601-01-01T00:00:00Z"));
        assertThat(AdAttributes.fromFileTime(AdAttributes.FILETIME_UNIX_EPOCH)).isEqualTo(Instant.EPOCH);
        Instant t = Instant.parse("2031-05-06T07:08:09.1234567Z");
        assertThat(AdAttributes.fromFileTime(AdAttributes.toFileTime(t))).isEqualTo(t);
    }

    @Test
    void expiry() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(AdAttributes.isExpired(null, now)).isFalse();
        assertThat(AdAttributes.isExpired(0L, now)).isFalse();
        assertThat(AdAttributes.isExpired(Long.MAX_VALUE, now)).isFalse();
        assertThat(AdAttributes.isExpired(-1L, now)).isFalse();
        assertThat(AdAttributes.isExpired(AdAttributes.toFileTime(now.minusSeconds(1)), now)).isTrue();
        assertThat(AdAttributes.isExpired(AdAttributes.toFileTime(now), now)).isTrue();
        assertThat(AdAttributes.isExpired(AdAttributes.toFileTime(now.plusSeconds(1)), now)).isFalse();
    }
}
