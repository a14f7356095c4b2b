package dev.coffer.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class HashingTest {

    @Test
    void sha256_ofKnownInputs() {
        assertThat(Hashing.sha256Hex(new byte[0]))
            .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(Hashing.sha256Hex("abc".getBytes(UTF_8)))
            .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Hashing.sha256("abc".getBytes(UTF_8))).hasSize(32);
    }

    @Test
    void hmacSha256_rfc4231_testCase2() {
        assertThat(Hashing.hex(Hashing.hmacSha256("Jefe".getBytes(UTF_8), "what do ya want for nothing?".getBytes(UTF_8))))
            .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void hmacSha256_withEmptyKey_isTheStandardHmac() {
        // HMAC_SHA256("", "") from RFC 2104's definition (key zero-padded to the block size).
        assertThat(Hashing.hex(Hashing.hmacSha256(new byte[0], new byte[0])))
            .isEqualTo("b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
    }

    @Property
    void hex_isLowercaseAndMatchesTheJdk(@ForAll byte[] bytes) {
        assertThat(Hashing.hex(bytes)).isEqualTo(HexFormat.of().formatHex(bytes));
    }

    @Test
    void constantTimeEquals_comparesContent() {
        assertThat(Hashing.constantTimeEquals(new byte[] {1, 2}, new byte[] {1, 2})).isTrue();
        assertThat(Hashing.constantTimeEquals(new byte[] {1, 2}, new byte[] {1, 3})).isFalse();
        assertThat(Hashing.constantTimeEquals(new byte[] {1, 2}, new byte[] {1})).isFalse();
        assertThat(Hashing.constantTimeEquals(new byte[0], new byte[0])).isTrue();
        assertThat(Hashing.constantTimeEquals(null, new byte[0])).isFalse();
        assertThat(Hashing.constantTimeEquals(null, null)).isFalse();
    }
}
