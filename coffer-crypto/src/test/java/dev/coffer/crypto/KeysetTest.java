package dev.coffer.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeysetTest {

    static Aead newAead() {
        try (SecretBytes key = Aead.newKey()) {
            return Aead.aes256Gcm(key);
        }
    }

    @Test
    void primary_isTheKeyWithThePrimaryId() {
        Aead one = newAead();
        Aead two = newAead();
        Keyset keyset = new Keyset(Map.of(1, one, 2, two), 2);
        assertThat(keyset.primaryId()).isEqualTo(2);
        assertThat(keyset.primary()).isSameAs(two);
        assertThat(keyset.get(1)).isSameAs(one);
        assertThat(keyset.keyIds()).containsExactly(1, 2);
    }

    @Test
    void missingPrimary_isRejected() {
        assertThatThrownBy(() -> new Keyset(Map.of(1, newAead()), 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Keyset(Map.of(), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownKeyId_failsLikeAnyDecryption() {
        Keyset keyset = new Keyset(Map.of(1, newAead()), 1);
        assertThatThrownBy(() -> keyset.get(7)).isExactlyInstanceOf(DecryptionFailedException.class);
    }

    @Test
    void keyset_isImmutable_evenIfTheCallersMapChanges() {
        Map<Integer, Aead> keys = new HashMap<>(Map.of(1, newAead()));
        Keyset keyset = new Keyset(keys, 1);
        keys.put(2, newAead());
        keys.remove(1);
        assertThat(keyset.keyIds()).containsExactly(1);
        assertThatThrownBy(() -> keyset.keyIds().add(3)).isInstanceOf(UnsupportedOperationException.class);
    }
}
