package dev.coffer.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import java.util.Base64;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Whatever a caller sends, the value of a sensitive member never shows up in an error message.
 */
class SensitiveValuesTest {
    static final InputValidator VALIDATOR = InputValidatorTest.VALIDATOR;
    static final String MARK = "S3cr3t";

    @Provide
    Arbitrary<String> overLongSecretStrings() {
        return Arbitraries.strings().all().ofMinLength(1).ofMaxLength(4000)
                .map(tail -> MARK + tail + "z".repeat(65537));
    }

    @Property(tries = 40)
    void anOverLongSecretStringIsNeverShown(@ForAll("overLongSecretStrings") String secret,
                                            @ForAll("operationsTakingAValue") String operation) {
        ObjectNode body = bodyFor(operation);
        body.put("SecretString", secret);

        ServiceException e = fail(operation, body);

        assertThat(e.code()).isEqualTo(ErrorCode.ValidationException);
        assertThat(e.getMessage())
                .contains("Value at 'secretString' failed to satisfy constraint: Member must have length less than or equal to 65536")
                .doesNotContain(MARK)
                .hasSizeLessThan(500);
    }

    @Property(tries = 40)
    void anOverLongSecretBinaryIsNeverShown(@ForAll @IntRange(min = 65537, max = 70000) int size,
                                            @ForAll("operationsTakingAValue") String operation) {
        byte[] bytes = new byte[size];
        bytes[0] = 1;
        String encoded = Base64.getEncoder().encodeToString(bytes);
        ObjectNode body = bodyFor(operation);
        body.put("SecretBinary", encoded);

        ServiceException e = fail(operation, body);

        assertThat(e.code()).isEqualTo(ErrorCode.ValidationException);
        assertThat(e.getMessage()).doesNotContain(encoded.substring(0, 16)).hasSizeLessThan(500);
    }

    @Property(tries = 100)
    void aSecretBinaryThatIsNotBase64IsNeverShown(@ForAll("notBase64") String text) {
        ObjectNode body = bodyFor("PutSecretValue");
        body.put("SecretBinary", text);

        ServiceException e = fail("PutSecretValue", body);

        assertThat(e.code()).isEqualTo(ErrorCode.SerializationException);
        assertThat(e.getMessage()).startsWith("Value can not be converted to a Blob: ").doesNotContain(MARK);
    }

    @Property(tries = 100)
    void aBadRotationTokenIsNeverShown(@ForAll("badTokens") String token) {
        ObjectNode body = bodyFor("PutSecretValue");
        body.put("RotationToken", token);

        ServiceException e = fail("PutSecretValue", body);

        assertThat(e.code()).isEqualTo(ErrorCode.ValidationException);
        assertThat(e.getMessage()).contains("Value at 'rotationToken'").doesNotContain(MARK);
    }

    @Provide
    Arbitrary<String> operationsTakingAValue() {
        return Arbitraries.of("CreateSecret", "PutSecretValue", "UpdateSecret");
    }

    @Provide
    Arbitrary<String> notBase64() {
        return Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(40)
                .map(s -> MARK + "#" + s);
    }

    @Provide
    Arbitrary<String> badTokens() {
        Arbitrary<String> tooShort = Arbitraries.strings().alpha().ofMaxLength(20).map(s -> MARK + s);
        Arbitrary<String> tooLong = Arbitraries.strings().alpha().ofMinLength(260).ofMaxLength(400).map(s -> MARK + s);
        Arbitrary<String> badCharacters = Arbitraries.strings().withCharRange(' ', '~').ofMinLength(40).ofMaxLength(60)
                .map(s -> MARK + "!" + s);
        return Arbitraries.oneOf(tooShort, tooLong, badCharacters);
    }

    private static ObjectNode bodyFor(String operation) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put(operation.equals("CreateSecret") ? "Name" : "SecretId", "my-secret");
        return body;
    }

    private static ServiceException fail(String operation, ObjectNode body) {
        ServiceException e = catchThrowableOfType(ServiceException.class, () -> VALIDATOR.validate(operation, body));
        assertThat(e).isNotNull();
        return e;
    }
}
