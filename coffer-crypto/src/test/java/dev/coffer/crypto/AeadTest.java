package dev.coffer.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class AeadTest {

    private static final byte[] AD = "secret-id=prod/db".getBytes(UTF_8);

    private static Aead newAead() {
        try (SecretBytes key = Aead.newKey()) {
            return Aead.aes256Gcm(key);
        }
    }

    @Property(tries = 200)
    void encryptThenDecrypt_roundTrips(@ForAll @Size(max = 600) byte[] plaintext, @ForAll @Size(max = 64) byte[] ad) {
        Aead aead = newAead();
        byte[] sealed = aead.encrypt(plaintext, ad);
        assertThat(sealed).hasSize(plaintext.length + 28);
        assertThat(aead.decrypt(sealed, ad)).isEqualTo(plaintext);
    }

    @Test
    void knownAnswer_matchesTheJdkGcmWithTheStatedLayout() throws Exception {
        // nonce || ct || tag: decrypting the pieces with a raw JCA Cipher must give the plaintext back.
        byte[] keyBytes = new byte[32];
        Aead aead;
        try (SecretBytes key = SecretBytes.copyOf(keyBytes)) {
            aead = Aead.aes256Gcm(key);
        }
        byte[] plaintext = "layout check".getBytes(UTF_8);
        byte[] sealed = aead.encrypt(plaintext, AD);
        javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
        c.init(javax.crypto.Cipher.DECRYPT_MODE, new javax.crypto.spec.SecretKeySpec(keyBytes, "AES"),
            new javax.crypto.spec.GCMParameterSpec(128, sealed, 0, 12));
        c.updateAAD(AD);
        assertThat(c.doFinal(sealed, 12, sealed.length - 12)).isEqualTo(plaintext);
    }

    @Test
    void flippingAnyBit_failsToDecrypt() {
        Aead aead = newAead();
        byte[] sealed = aead.encrypt("attack at dawn".getBytes(UTF_8), AD);
        for (int i = 0; i < sealed.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] tampered = sealed.clone();
                tampered[i] ^= (byte) (1 << bit);
                assertThatThrownBy(() -> aead.decrypt(tampered, AD))
                    .isExactlyInstanceOf(DecryptionFailedException.class);
            }
        }
    }

    @Test
    void wrongAssociatedData_failsToDecrypt() {
        Aead aead = newAead();
        byte[] sealed = aead.encrypt("x".getBytes(UTF_8), AD);
        assertThatThrownBy(() -> aead.decrypt(sealed, "secret-id=prod/other".getBytes(UTF_8)))
            .isExactlyInstanceOf(DecryptionFailedException.class);
        assertThatThrownBy(() -> aead.decrypt(sealed, null)).isExactlyInstanceOf(DecryptionFailedException.class);
    }

    @Test
    void nullAssociatedData_isTheSameAsEmpty() {
        Aead aead = newAead();
        assertThat(aead.decrypt(aead.encrypt(new byte[] {1}, null), new byte[0])).containsExactly(1);
    }

    @Test
    void wrongKey_failsToDecrypt() {
        byte[] sealed = newAead().encrypt("x".getBytes(UTF_8), AD);
        assertThatThrownBy(() -> newAead().decrypt(sealed, AD)).isExactlyInstanceOf(DecryptionFailedException.class);
    }

    @Test
    void truncatedOrShortInput_failsToDecrypt() {
        Aead aead = newAead();
        byte[] sealed = aead.encrypt(new byte[0], AD);
        assertThat(sealed).hasSize(28);
        for (int len = 0; len < sealed.length; len++) {
            byte[] cut = Arrays.copyOf(sealed, len);
            assertThatThrownBy(() -> aead.decrypt(cut, AD)).isExactlyInstanceOf(DecryptionFailedException.class);
        }
    }

    @Test
    void everyEncryption_usesAFreshNonce() {
        Aead aead = newAead();
        byte[] plaintext = "same".getBytes(UTF_8);
        Set<String> nonces = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            byte[] sealed = aead.encrypt(plaintext, AD);
            nonces.add(Hashing.hex(Arrays.copyOf(sealed, 12)));
        }
        assertThat(nonces).hasSize(2_000);
    }

    @Test
    void keyOfWrongLength_isRejected() {
        for (int len : new int[] {0, 16, 24, 31, 33, 64}) {
            try (SecretBytes key = SecretBytes.wrap(new byte[len])) {
                assertThatThrownBy(() -> Aead.aes256Gcm(key)).isInstanceOf(IllegalArgumentException.class);
            }
        }
    }

    @Test
    void closingTheCallersKey_doesNotAffectTheAead() {
        SecretBytes key = Aead.newKey();
        Aead aead = Aead.aes256Gcm(key);
        byte[] sealed = aead.encrypt(new byte[] {1, 2, 3}, AD);
        key.close();
        assertThat(aead.decrypt(sealed, AD)).containsExactly(1, 2, 3);
    }

    @Test
    void closedKey_cannotBeUsed() {
        SecretBytes key = Aead.newKey();
        key.close();
        assertThatThrownBy(() -> Aead.aes256Gcm(key)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void newKey_is32RandomBytes() {
        try (SecretBytes a = Aead.newKey(); SecretBytes b = Aead.newKey()) {
            assertThat(a.length()).isEqualTo(32);
            assertThat(a.bytes()).isNotEqualTo(b.bytes());
        }
    }

    @Test
    void concurrentUse_fromManyThreads_staysCorrect() throws Exception {
        Aead aead = newAead();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Callable<Boolean>> tasks = IntStream.range(0, 500).<Callable<Boolean>>mapToObj(i -> () -> {
                byte[] plaintext = ("message " + i).getBytes(UTF_8);
                return Arrays.equals(aead.decrypt(aead.encrypt(plaintext, AD), AD), plaintext);
            }).toList();
            for (Future<Boolean> f : pool.invokeAll(tasks)) {
                assertThat(f.get()).isTrue();
            }
        }
    }
}
