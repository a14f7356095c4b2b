package dev.coffer.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SecretBytesTest {

    @Test
    void secretBytesToString_neverShowsContent() {
        byte[] content = "hunter2-hunter2-hunter2".getBytes(UTF_8);
        try (SecretBytes secret = SecretBytes.copyOf(content)) {
            assertThat(secret.toString())
                .isEqualTo("SecretBytes[" + content.length + " bytes]")
                .doesNotContain("hunter2")
                .doesNotContain(Hashing.hex(content))
                .doesNotContain(Arrays.toString(content));
        }
    }

    @Test
    void closedSecretBytes_areWiped() {
        byte[] owned = {1, 2, 3, 4, 5, 6, 7, 8};
        SecretBytes secret = SecretBytes.wrap(owned);
        secret.close();
        assertThat(owned).containsOnly(0);
    }

    @Test
    void wrap_takesOwnershipWithoutCopying() {
        byte[] owned = {9, 9, 9};
        try (SecretBytes secret = SecretBytes.wrap(owned)) {
            assertThat(secret.bytes()).isSameAs(owned);
            assertThat(secret.length()).isEqualTo(3);
        }
    }

    @Test
    void copyOf_isIndependentOfTheCallersArray() {
        byte[] original = {1, 2, 3};
        SecretBytes secret = SecretBytes.copyOf(original);
        original[0] = 42;
        assertThat(secret.bytes()).containsExactly(1, 2, 3);
        secret.close();
        assertThat(original).containsExactly(42, 2, 3);
    }

    @Test
    void useAfterClose_failsLoudlyInsteadOfYieldingZeros() {
        SecretBytes secret = SecretBytes.copyOf(new byte[] {1});
        secret.close();
        assertThatThrownBy(secret::bytes).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(secret::length).isInstanceOf(IllegalStateException.class);
        assertThat(secret.toString()).isEqualTo("SecretBytes[closed]");
    }

    @Test
    void close_isIdempotent() {
        SecretBytes secret = SecretBytes.copyOf(new byte[] {1, 2});
        secret.close();
        secret.close();
        assertThatThrownBy(secret::bytes).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void equalContent_isNotEqual_soNoNonConstantTimeComparisonSneaksIn() throws Exception {
        assertThat(SecretBytes.class.getMethod("equals", Object.class).getDeclaringClass()).isEqualTo(Object.class);
        assertThat(SecretBytes.class.getMethod("hashCode").getDeclaringClass()).isEqualTo(Object.class);
        try (SecretBytes a = SecretBytes.copyOf(new byte[] {7}); SecretBytes b = SecretBytes.copyOf(new byte[] {7})) {
            assertThat(a).isNotEqualTo(b);
        }
    }
}
