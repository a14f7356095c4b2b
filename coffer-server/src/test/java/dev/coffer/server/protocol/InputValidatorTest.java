package dev.coffer.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import java.util.Base64;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InputValidatorTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final InputValidator VALIDATOR =
            new InputValidator(ServiceModel.load(ServiceModelTest.RESOURCE));

    static final String TOKEN = "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111";
    static final String ONE_ERROR = "1 validation error detected: ";

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static ServiceException failure(String operation, JsonNode body) {
        ServiceException e = catchThrowableOfType(ServiceException.class,
                () -> VALIDATOR.validate(operation, body));
        assertThat(e).as("%s %s must fail", operation, body).isNotNull();
        return e;
    }

    static String quote(String s) {
        return JSON.valueToTree(s).toString();
    }

    // ---- accepted -------------------------------------------------------------------------

    static Stream<Arguments> good() {
        return Stream.of(
                Arguments.of("GetSecretValue", "{\"SecretId\":\"MySecret\"}"),
                Arguments.of("GetSecretValue", "{\"SecretId\":\"MySecret\",\"VersionStage\":\"AWSPREVIOUS\"}"),
                Arguments.of("CreateSecret", "{\"Name\":\"prod/db\",\"ClientRequestToken\":\"" + TOKEN + "\","
                        + "\"Description\":\"d\",\"SecretString\":\"{\\\"password\\\":\\\"x\\\"}\","
                        + "\"Tags\":[{\"Key\":\"team\",\"Value\":\"\"}],\"ForceOverwriteReplicaSecret\":false}"),
                Arguments.of("CreateSecret", "{\"Name\":\"n\",\"SecretString\":\"\"}"),
                Arguments.of("CreateSecret", "{\"Name\":\"n\",\"SecretBinary\":\"\"}"),
                Arguments.of("PutSecretValue", "{\"SecretId\":\"n\",\"SecretBinary\":\"Zm9vdGVzdA==\","
                        + "\"VersionStages\":[\"AWSPENDING\"],\"RotationToken\":\"" + TOKEN + "\"}"),
                Arguments.of("ListSecrets", "{\"MaxResults\":100,\"SortOrder\":\"asc\",\"IncludePlannedDeletion\":true,"
                        + "\"Filters\":[{\"Key\":\"name\",\"Values\":[\"prod/\",\"!test\"]},{\"Key\":\"all\",\"Values\":[\"a b\"]}]}"),
                Arguments.of("ListSecrets", "{}"),
                Arguments.of("BatchGetSecretValue", "{\"SecretIdList\":[\"a\",\"b\"]}"),
                Arguments.of("BatchGetSecretValue", "{\"Filters\":[{\"Key\":\"tag-key\",\"Values\":[\"env\"]}],\"MaxResults\":20}"),
                Arguments.of("GetRandomPassword", "{}"),
                Arguments.of("GetRandomPassword", "{\"PasswordLength\":4096,\"ExcludeCharacters\":\"abc\","
                        + "\"ExcludePunctuation\":true,\"IncludeSpace\":false,\"RequireEachIncludedType\":true}"),
                // a whole number written as a decimal is still a whole number
                Arguments.of("DeleteSecret", "{\"SecretId\":\"n\",\"RecoveryWindowInDays\":7.0}"),
                Arguments.of("RotateSecret", "{\"SecretId\":\"n\",\"RotationRules\":{\"AutomaticallyAfterDays\":30,"
                        + "\"Duration\":\"3h\",\"ScheduleExpression\":\"rate(10 days)\"}}"),
                Arguments.of("ReplicateSecretToRegions", "{\"SecretId\":\"n\",\"AddReplicaRegions\":[{\"Region\":\"eu-west-1\"}]}"),
                // unknown members are ignored, whatever their type
                Arguments.of("GetSecretValue", "{\"SecretId\":\"n\",\"Bogus\":{\"a\":[1,true]},\"secretid\":5}"),
                // an explicit null is an absent member
                Arguments.of("GetSecretValue", "{\"SecretId\":\"n\",\"VersionId\":null}"),
                Arguments.of("ListSecrets", "{\"Filters\":[null,{\"Key\":null,\"Values\":null}]}"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("good")
    void acceptsGoodInput(String operation, String body) {
        assertThatCode(() -> VALIDATOR.validate(operation, json(body))).doesNotThrowAnyException();
    }

    // ---- ValidationException ----------------------------------------------------------------

    static Stream<Arguments> invalid() {
        String name513 = "n".repeat(513);
        String value257 = "v".repeat(257);
        String ids21 = IntStream.rangeClosed(1, 21).mapToObj(i -> "\"s" + i + "\"").collect(Collectors.joining(","));
        String shown21 = IntStream.rangeClosed(1, 21).mapToObj(i -> "s" + i).collect(Collectors.joining(", "));
        return Stream.of(
                Arguments.of("GetSecretValue", "{}",
                        "Value null at 'secretId' failed to satisfy constraint: Member must not be null"),
                Arguments.of("GetSecretValue", "{\"SecretId\":null}",
                        "Value null at 'secretId' failed to satisfy constraint: Member must not be null"),
                Arguments.of("GetSecretValue", "{\"SecretId\":\"\"}",
                        "Value '' at 'secretId' failed to satisfy constraint: Member must have length greater than or equal to 1"),
                Arguments.of("CreateSecret", "{\"Name\":\"" + name513 + "\"}",
                        "Value '" + name513 + "' at 'name' failed to satisfy constraint: Member must have length less than or equal to 512"),
                Arguments.of("CreateSecret", "{\"Name\":\"n\",\"ClientRequestToken\":\"short\"}",
                        "Value 'short' at 'clientRequestToken' failed to satisfy constraint: Member must have length greater than or equal to 32"),
                Arguments.of("CreateSecret", "{\"Name\":\"n\",\"Tags\":[{\"Key\":\"k\",\"Value\":\"v\"},{\"Key\":\"\",\"Value\":\"v\"}]}",
                        "Value '' at 'tags.2.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1"),
                Arguments.of("GetRandomPassword", "{\"PasswordLength\":0}",
                        "Value '0' at 'passwordLength' failed to satisfy constraint: Member must have value greater than or equal to 1"),
                Arguments.of("GetRandomPassword", "{\"PasswordLength\":4097}",
                        "Value '4097' at 'passwordLength' failed to satisfy constraint: Member must have value less than or equal to 4096"),
                Arguments.of("ListSecrets", "{\"SortOrder\":\"up\"}",
                        "Value 'up' at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: [asc, desc]"),
                Arguments.of("ListSecrets", "{\"MaxResults\":0}",
                        "Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"),
                // beyond Java's int: AWS reports the bound and leaves the value out
                Arguments.of("ListSecrets", "{\"MaxResults\":99999999999}",
                        "Value at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100"),
                Arguments.of("ListSecrets", "{\"Filters\":[{\"Key\":\"bogus\",\"Values\":[\"x\"]}]}",
                        "Value 'bogus' at 'filters.1.member.key' failed to satisfy constraint: Member must satisfy enum value set: "
                                + "[description, name, tag-key, tag-value, primary-region, all]"),
                Arguments.of("ListSecrets", "{\"Filters\":[{\"Key\":\"name\",\"Values\":[\"ok\",\"a*b\"]}]}",
                        "Value 'a*b' at 'filters.1.member.values.2.member' failed to satisfy constraint: "
                                + "Member must satisfy regular expression pattern: ^\\!?[a-zA-Z0-9 :_@\\/\\+\\=\\.\\-]*$"),
                Arguments.of("ListSecrets", "{\"Filters\":[{\"Key\":\"name\",\"Values\":[]}]}",
                        "Value '[]' at 'filters.1.member.values' failed to satisfy constraint: Member must have length greater than or equal to 1"),
                Arguments.of("BatchGetSecretValue", "{\"SecretIdList\":[" + ids21 + "]}",
                        "Value '[" + shown21 + "]' at 'secretIdList' failed to satisfy constraint: Member must have length less than or equal to 20"),
                Arguments.of("BatchGetSecretValue", "{\"SecretIdList\":[]}",
                        "Value '[]' at 'secretIdList' failed to satisfy constraint: Member must have length greater than or equal to 1"),
                Arguments.of("BatchGetSecretValue", "{\"Filters\":[{\"Key\":\"name\",\"Values\":[\"x\"]}],\"MaxResults\":21}",
                        "Value '21' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 20"),
                Arguments.of("BatchGetSecretValue", "{\"SecretIdList\":[\"a\",\"\"]}",
                        "Value '' at 'secretIdList.2.member' failed to satisfy constraint: Member must have length greater than or equal to 1"),
                Arguments.of("RotateSecret", "{\"SecretId\":\"n\",\"RotationRules\":{\"AutomaticallyAfterDays\":0}}",
                        "Value '0' at 'rotationRules.automaticallyAfterDays' failed to satisfy constraint: Member must have value greater than or equal to 1"),
                Arguments.of("RotateSecret", "{\"SecretId\":\"n\",\"RotationRules\":{\"Duration\":\"5x\"}}",
                        "Value '5x' at 'rotationRules.duration' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9h]+"),
                Arguments.of("ReplicateSecretToRegions", "{\"SecretId\":\"n\",\"AddReplicaRegions\":[{\"Region\":\"Mars\"}]}",
                        "Value 'Mars' at 'addReplicaRegions.1.member.region' failed to satisfy constraint: "
                                + "Member must satisfy regular expression pattern: ^([a-z]+-)+\\d+$"),
                Arguments.of("UntagResource", "{\"SecretId\":\"n\",\"TagKeys\":[\"" + "k".repeat(129) + "\"]}",
                        "Value '" + "k".repeat(129) + "' at 'tagKeys.1.member' failed to satisfy constraint: Member must have length less than or equal to 128"),
                // sensitive members: the value is left out
                Arguments.of("PutSecretValue", "{\"SecretId\":\"n\",\"RotationToken\":\"short\"}",
                        "Value at 'rotationToken' failed to satisfy constraint: Member must have length greater than or equal to 36"),
                Arguments.of("PutSecretValue", "{\"SecretId\":\"n\",\"RotationToken\":\"" + TOKEN.replace('a', '!') + "\"}",
                        "Value at 'rotationToken' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9\\-]+$"),
                Arguments.of("UpdateSecret", "{\"SecretId\":\"n\",\"SecretString\":\"" + "s".repeat(65537) + "\"}",
                        "Value at 'secretString' failed to satisfy constraint: Member must have length less than or equal to 65536"),
                Arguments.of("CreateSecret", "{\"Name\":\"n\",\"SecretBinary\":\""
                                + Base64.getEncoder().encodeToString(new byte[65537]) + "\"}",
                        "Value at 'secretBinary' failed to satisfy constraint: Member must have length less than or equal to 65536"));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("invalid")
    void refusesBrokenConstraintsWithAwsMessages(String operation, String body, String violation) {
        ServiceException e = failure(operation, json(body));

        assertThat(e.code()).isEqualTo(ErrorCode.ValidationException);
        assertThat(e.getMessage()).isEqualTo(ONE_ERROR + violation);
    }

    @Test
    void listsEveryViolationInMemberOrder() {
        // TagResource members: SecretId, Tags
        ServiceException e = failure("TagResource",
                json("{\"Tags\":[{\"Key\":\"k\",\"Value\":\"" + "v".repeat(257) + "\"}]}"));

        assertThat(e.code()).isEqualTo(ErrorCode.ValidationException);
        assertThat(e.getMessage()).isEqualTo("2 validation errors detected: "
                + "Value null at 'secretId' failed to satisfy constraint: Member must not be null; "
                + "Value '" + "v".repeat(257) + "' at 'tags.1.member.value' failed to satisfy constraint: "
                + "Member must have length less than or equal to 256");
    }

    @Test
    void reportsEveryConstraintAValueBreaks() {
        ServiceException e = failure("RotateSecret",
                json("{\"SecretId\":\"\",\"RotationRules\":{\"AutomaticallyAfterDays\":1001,\"Duration\":\"xxxx\"}}"));

        assertThat(e.getMessage()).isEqualTo("4 validation errors detected: "
                + "Value '' at 'secretId' failed to satisfy constraint: Member must have length greater than or equal to 1; "
                + "Value '1001' at 'rotationRules.automaticallyAfterDays' failed to satisfy constraint: "
                + "Member must have value less than or equal to 1000; "
                + "Value 'xxxx' at 'rotationRules.duration' failed to satisfy constraint: Member must have length less than or equal to 3; "
                + "Value 'xxxx' at 'rotationRules.duration' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9h]+");
    }

    @Test
    void showsStructuresInsideAListThatIsTooLong() {
        String filters = IntStream.rangeClosed(1, 11)
                .mapToObj(i -> "{\"Key\":\"name\",\"Values\":[\"v" + i + "\"]}").collect(Collectors.joining(","));

        ServiceException e = failure("ListSecrets", json("{\"Filters\":[" + filters + "]}"));

        assertThat(e.getMessage()).startsWith(ONE_ERROR + "Value '[{Key=name, Values=[v1]}, {Key=name, Values=[v2]}, ")
                .endsWith("]' at 'filters' failed to satisfy constraint: Member must have length less than or equal to 10");
    }

    // ---- SerializationException -------------------------------------------------------------

    static Stream<Arguments> mistyped() {
        return Stream.of(
                Arguments.of("GetSecretValue", "{\"SecretId\":1}", "NUMBER_VALUE can not be converted to a String"),
                Arguments.of("GetSecretValue", "{\"SecretId\":1.5}", "NUMBER_VALUE can not be converted to a String"),
                Arguments.of("GetSecretValue", "{\"SecretId\":true}", "TRUE_VALUE can not be converted to a String"),
                Arguments.of("GetSecretValue", "{\"SecretId\":false}", "FALSE_VALUE can not be converted to a String"),
                Arguments.of("GetSecretValue", "{\"SecretId\":{}}", "Start of structure or map found where not expected."),
                Arguments.of("GetSecretValue", "{\"SecretId\":[\"x\"]}", "Start of list found where not expected"),
                Arguments.of("GetRandomPassword", "{\"PasswordLength\":\"32\"}", "STRING_VALUE can not be converted to a Long"),
                Arguments.of("GetRandomPassword", "{\"PasswordLength\":true}", "TRUE_VALUE can not be converted to a Long"),
                Arguments.of("GetRandomPassword", "{\"PasswordLength\":32.5}", "NUMBER_VALUE can not be converted to a Long"),
                Arguments.of("GetRandomPassword", "{\"ExcludeNumbers\":1}", "NUMBER_VALUE can not be converted to a Boolean"),
                Arguments.of("GetRandomPassword", "{\"ExcludeNumbers\":\"true\"}", "STRING_VALUE can not be converted to a Boolean"),
                // beyond Java's long with no bound on that side
                Arguments.of("DeleteSecret", "{\"SecretId\":\"n\",\"RecoveryWindowInDays\":1e30}", "NUMBER_VALUE can not be converted to a Long"),
                Arguments.of("ListSecrets", "{\"MaxResults\":\"10\"}", "STRING_VALUE can not be converted to an Integer"),
                Arguments.of("ListSecrets", "{\"MaxResults\":false}", "FALSE_VALUE can not be converted to an Integer"),
                Arguments.of("ListSecrets", "{\"IncludePlannedDeletion\":\"yes\"}", "STRING_VALUE can not be converted to a Boolean"),
                Arguments.of("ListSecrets", "{\"Filters\":\"name\"}", "Expected list or null"),
                Arguments.of("ListSecrets", "{\"Filters\":{}}", "Start of structure or map found where not expected."),
                Arguments.of("ListSecrets", "{\"Filters\":[\"name\"]}", "Expected null"),
                Arguments.of("ListSecrets", "{\"Filters\":[{\"Key\":\"name\",\"Values\":[7]}]}", "NUMBER_VALUE can not be converted to a String"),
                Arguments.of("RotateSecret", "{\"SecretId\":\"n\",\"RotationRules\":[]}", "Start of list found where not expected"),
                Arguments.of("PutSecretValue", "{\"SecretId\":\"n\",\"SecretBinary\":12}", "NUMBER_VALUE can not be converted to a Blob"),
                Arguments.of("PutSecretValue", "{\"SecretId\":\"n\",\"SecretBinary\":\"abc\"}",
                        "Value can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 3"),
                Arguments.of("PutSecretValue", "{\"SecretId\":\"n\",\"SecretBinary\":\"ab-_\"}",
                        "Value can not be converted to a Blob: Invalid Base64 character: '-'"),
                // a type error wins over constraint violations elsewhere in the body
                Arguments.of("GetSecretValue", "{\"SecretId\":\"\",\"VersionId\":5}", "NUMBER_VALUE can not be converted to a String"),
                // the first type error in document order is the one reported
                Arguments.of("GetSecretValue", "{\"VersionStage\":1,\"SecretId\":true}", "NUMBER_VALUE can not be converted to a String"),
                // the body itself
                Arguments.of("GetSecretValue", "[]", "Start of list found where not expected"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("mistyped")
    void refusesMistypedMembersWithAwsMessages(String operation, String body, String message) {
        ServiceException e = failure(operation, json(body));

        assertThat(e.code()).isEqualTo(ErrorCode.SerializationException);
        assertThat(e.getMessage()).isEqualTo(message);
    }

    @Test
    void aBodyThatIsNotAnObjectIsASerializationExceptionWithoutMessage() {
        for (JsonNode body : new JsonNode[] {null, MissingNode.getInstance(), json("null"), json("\"x\""), json("3")}) {
            ServiceException e = failure("GetSecretValue", body);
            assertThat(e.code()).isEqualTo(ErrorCode.SerializationException);
            assertThat(e.getMessage()).isNull();
        }
    }

    @Test
    void anUnknownOperationIsRefused() {
        ServiceException e = failure("StealSecrets", json("{}"));

        assertThat(e.code()).isEqualTo(ErrorCode.UnknownOperationException);
    }

    @Test
    void everyOperationAcceptsOrRefusesAnEmptyBodyCleanly() {
        ServiceModel model = ServiceModel.load(ServiceModelTest.RESOURCE);
        for (String operation : model.operations()) {
            ServiceException e = catchThrowableOfType(ServiceException.class,
                    () -> VALIDATOR.validate(operation, json("{}")));
            if (e != null) {
                assertThat(e.code()).as(operation).isEqualTo(ErrorCode.ValidationException);
                assertThat(e.getMessage()).as(operation).contains("Member must not be null");
            }
        }
    }

    @Test
    void sensitiveValuesStayOutOfMessagesEvenInsideLongerBodies() {
        String secret = "hunter2-" + "x".repeat(65536);
        ServiceException e = failure("CreateSecret", json("{\"Name\":\"" + "n".repeat(600) + "\",\"SecretString\":"
                + quote(secret) + ",\"Tags\":[{\"Key\":\"\"}]}"));

        assertThat(e.getMessage()).startsWith("3 validation errors detected: ")
                .contains("Value at 'secretString' failed to satisfy constraint")
                .doesNotContain("hunter2");
    }
}
