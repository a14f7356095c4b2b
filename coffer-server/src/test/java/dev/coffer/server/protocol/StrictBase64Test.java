package dev.coffer.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class StrictBase64Test {

    @Test
    void givesAwsReasonsForBadText() {
        assertThat(StrictBase64.problem("23456"))
                .isEqualTo("Base64 encoded length is expected a multiple of 4 bytes but found: 5");
        assertThat(StrictBase64.problem("=+/=")).isEqualTo("Invalid Base64 character: '='");
        assertThat(StrictBase64.problem("+/+=")).isEqualTo("Invalid last non-pad Base64 character dectected");
        assertThat(StrictBase64.problem("ab-_")).isEqualTo("Invalid Base64 character: '-'");
        assertThat(StrictBase64.problem("Zm9v\nYmFy")).isNotNull();
    }

    @Test
    void acceptsCanonicalText() {
        assertThat(StrictBase64.problem("")).isNull();
        assertThat(StrictBase64.problem("Zm9vdGVzdA==")).isNull();
        assertThat(StrictBase64.decodedLength("Zm9vdGVzdA==")).isEqualTo(7);
        assertThat(StrictBase64.decodedLength("")).isZero();
    }

    @Property
    void everyEncodingIsAcceptedAndMeasuredExactly(@ForAll @Size(max = 300) byte[] bytes) {
        String text = Base64.getEncoder().encodeToString(bytes);

        assertThat(StrictBase64.problem(text)).isNull();
        assertThat(StrictBase64.decodedLength(text)).isEqualTo(bytes.length);
    }
}
