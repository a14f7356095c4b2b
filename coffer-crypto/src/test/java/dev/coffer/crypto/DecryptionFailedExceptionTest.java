package dev.coffer.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DecryptionFailedExceptionTest {

    @Test
    void decryptionFailure_carriesNoDataNoCauseAndNoSuppressed() {
        DecryptionFailedException e = new DecryptionFailedException();
        assertThat(e).hasMessage("decryption failed").hasNoCause();
        e.addSuppressed(new RuntimeException("plaintext: hunter2"));
        assertThat(e.getSuppressed()).isEmpty();
    }

    @Test
    void decryptionFailure_cannotBeGivenACauseLater() {
        DecryptionFailedException e = new DecryptionFailedException();
        assertThatThrownBy(() -> e.initCause(new RuntimeException("secret"))).isInstanceOf(IllegalStateException.class);
        assertThat(e).hasNoCause();
    }
}
