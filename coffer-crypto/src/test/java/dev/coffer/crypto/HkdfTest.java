package dev.coffer.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** RFC 5869, Appendix A, test cases 1 to 3 (the SHA-256 ones). */
class HkdfTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    private static byte[] range(int from, int toExclusive) {
        byte[] b = new byte[toExclusive - from];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    @Test
    void rfc5869_testCase1_basic() {
        byte[] okm = Hkdf.derive(hex("0b".repeat(22)), hex("000102030405060708090a0b0c"), hex("f0f1f2f3f4f5f6f7f8f9"), 42);
        assertThat(Hashing.hex(okm)).isEqualTo(
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
    }

    @Test
    void rfc5869_testCase2_longInputsAndOutput() {
        byte[] okm = Hkdf.derive(range(0x00, 0x50), range(0x60, 0xb0), range(0xb0, 0x100), 82);
        assertThat(Hashing.hex(okm)).isEqualTo(
            "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
                + "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
                + "cc30c58179ec3e87c14c01d5c1f3434f1d87");
    }

    @Test
    void rfc5869_testCase3_emptySaltAndInfo() {
        String expected = "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8";
        assertThat(Hashing.hex(Hkdf.derive(hex("0b".repeat(22)), new byte[0], new byte[0], 42))).isEqualTo(expected);
        assertThat(Hashing.hex(Hkdf.derive(hex("0b".repeat(22)), null, null, 42))).isEqualTo(expected);
    }

    @Test
    void differentInfo_givesIndependentKeys() {
        byte[] ikm = hex("0b".repeat(32));
        assertThat(Hkdf.derive(ikm, null, "a".getBytes(UTF_8), 32))
            .isNotEqualTo(Hkdf.derive(ikm, null, "b".getBytes(UTF_8), 32));
    }

    @Test
    void shorterOutput_isAPrefixOfLongerOutput() {
        byte[] ikm = hex("0b".repeat(22));
        byte[] longer = Hkdf.derive(ikm, null, null, 100);
        assertThat(longer).startsWith(Hkdf.derive(ikm, null, null, 33));
    }

    @Test
    void lengthOutsideRfcBounds_isRejected() {
        byte[] ikm = new byte[32];
        assertThat(Hkdf.derive(ikm, null, null, 255 * 32)).hasSize(8160);
        assertThatThrownBy(() -> Hkdf.derive(ikm, null, null, 255 * 32 + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hkdf.derive(ikm, null, null, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
