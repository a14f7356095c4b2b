package dev.coffer.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.coffer.server.api.ApiRequest;
import dev.coffer.server.api.Operation;
import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Query codec on the real IAM model and on a small model with maps and nested structures. */
class QueryProtocolTest {
    static final ServiceModel IAM = ServiceModel.load("aws-models/iam-2010-05-08.json");

    record Tag(String Key, String Value) {}
    record CreateUserRequest(String Path, String UserName, String PermissionsBoundary, List<Tag> Tags) {}
    record User(String Path, String UserName, String UserId, String Arn, Instant CreateDate, List<Tag> Tags) {}
    record CreateUserResponse(User User) {}
    record ListUsersRequest(String PathPrefix, String Marker, Integer MaxItems) {}

    static final Operation<CreateUserRequest, CreateUserResponse> CREATE_USER =
            new Operation<>("iam", "CreateUser", CreateUserRequest.class, false, (c, r) -> null);
    static final Operation<ListUsersRequest, Object> LIST_USERS =
            new Operation<>("iam", "ListUsers", ListUsersRequest.class, true, (c, r) -> null);
    static final Operation<Object, Object> DELETE_USER =
            new Operation<>("iam", "DeleteUser", Object.class, false, (c, r) -> null);

    final QueryProtocol query = new QueryProtocol().withModel(IAM);

    static ApiRequest form(String authorization, String... pairs) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            if (!body.isEmpty()) body.append('&');
            body.append(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        List<Map.Entry<String, String>> headers = authorization == null
                ? List.of(Map.entry("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"))
                : List.of(Map.entry("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
                        Map.entry("Authorization", authorization));
        return new ApiRequest("POST", "/", null, headers, body.toString().getBytes(StandardCharsets.UTF_8), "127.0.0.1",
                "req-1", false);
    }

    static final String IAM_SCOPE = "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20240101/us-east-1/iam/aws4_request, "
            + "SignedHeaders=host, Signature=00";

    @Test
    void routesByTheCredentialScopeOrElseByVersion() {
        assertThat(query.target(form(IAM_SCOPE, "Action", "CreateUser", "Version", "2010-05-08")))
                .isEqualTo(new WireProtocol.Target("iam", "CreateUser", "2010-05-08"));
        assertThat(query.target(form(null, "Action", "ListUsers", "Version", "2010-05-08")).signingName()).isEqualTo("iam");
        String stsScope = IAM_SCOPE.replace("/iam/", "/sts/");
        assertThat(query.target(form(stsScope, "Action", "ListUsers", "Version", "2010-05-08")).signingName()).isNull();
        assertThat(query.claims(form(null, "Action", "ListUsers"))).isTrue();
    }

    @Test
    void flattenedListsOfStructuresBindToRecords() {
        ApiRequest request = form(IAM_SCOPE, "Action", "CreateUser", "Version", "2010-05-08", "UserName", "alice",
                "Path", "/team/", "Tags.member.2.Key", "b", "Tags.member.2.Value", "2",
                "Tags.member.1.Key", "a", "Tags.member.1.Value", "1", "Unknown.Member", "ignored");
        Object decoded = query.decode(query.target(request), CREATE_USER, request);
        assertThat(decoded).isEqualTo(new CreateUserRequest("/team/", "alice", null,
                List.of(new Tag("a", "1"), new Tag("b", "2"))));
    }

    @Test
    void anEmptyListIsTheBareName() {
        ApiRequest request = form(IAM_SCOPE, "Action", "CreateUser", "UserName", "alice", "Tags", "");
        assertThat(((CreateUserRequest) query.decode(query.target(request), CREATE_USER, request)).Tags()).isEmpty();
    }

    @Test
    void integersAreTypedAndRangeChecked() {
        ApiRequest ok = form(IAM_SCOPE, "Action", "ListUsers", "MaxItems", "7");
        assertThat(query.decode(query.target(ok), LIST_USERS, ok)).isEqualTo(new ListUsersRequest(null, null, 7));
        ApiRequest tooMany = form(IAM_SCOPE, "Action", "ListUsers", "MaxItems", "1001");
        assertThat(failure(tooMany, LIST_USERS).getMessage()).isEqualTo("1 validation error detected: Value '1001' at "
                + "'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000");
        ApiRequest notANumber = form(IAM_SCOPE, "Action", "ListUsers", "MaxItems", "ten");
        assertThat(failure(notANumber, LIST_USERS).code()).isEqualTo(ErrorCode.ValidationException);
    }

    @Test
    void validationMessagesAreAwsWordsInModelOrder() {
        String longName = "u".repeat(65);
        ApiRequest request = form(IAM_SCOPE, "Action", "CreateUser", "UserName", longName,
                "Tags.member.1.Key", "k");
        ServiceException e = failure(request, CREATE_USER);
        assertThat(e.code()).isEqualTo(ErrorCode.ValidationException);
        assertThat(e.getMessage()).isEqualTo("2 validation errors detected: Value '" + longName + "' at 'userName' "
                + "failed to satisfy constraint: Member must have length less than or equal to 64; Value null at "
                + "'tags.1.member.value' failed to satisfy constraint: Member must not be null");
        ApiRequest missing = form(IAM_SCOPE, "Action", "CreateUser");
        assertThat(failure(missing, CREATE_USER).getMessage()).isEqualTo("1 validation error detected: Value null at "
                + "'userName' failed to satisfy constraint: Member must not be null");
        WireProtocol.Encoded xml = query.encodeError(query.target(missing), failure(missing, CREATE_USER), "r-2");
        assertThat(xml.status()).isEqualTo(400);
        assertThat(text(xml)).contains("<Code>ValidationError</Code>");
    }

    @Test
    void resultsAreXmlInTheModelNamespaceWithMembersAndIsoTimestamps() {
        ApiRequest request = form(IAM_SCOPE, "Action", "CreateUser");
        User user = new User("/", "a&b", "AIDAEXAMPLE", "arn:aws:iam::123456789012:user/a&b",
                Instant.parse("2024-01-02T03:04:05.678Z"), List.of(new Tag("k", "v")));
        String xml = text(query.encodeResult(query.target(request), CREATE_USER, new CreateUserResponse(user), "r-1"));
        assertThat(xml).isEqualTo("<CreateUserResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
                + "<CreateUserResult><User><Path>/</Path><UserName>a&amp;b</UserName><UserId>AIDAEXAMPLE</UserId>"
                + "<Arn>arn:aws:iam::123456789012:user/a&amp;b</Arn><CreateDate>2024-01-02T03:04:05Z</CreateDate>"
                + "<Tags><member><Key>k</Key><Value>v</Value></member></Tags></User></CreateUserResult>"
                + "<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></CreateUserResponse>");
        String empty = text(query.encodeResult(query.target(request), DELETE_USER, null, "r-3"));
        assertThat(empty).isEqualTo("<DeleteUserResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
                + "<ResponseMetadata><RequestId>r-3</RequestId></ResponseMetadata></DeleteUserResponse>");
    }

    @Test
    void errorsTakeStatusAndCodeFromTheModelOrTheSharedQuerySpelling() {
        WireProtocol.Target iam = new WireProtocol.Target("iam", "GetUser", "2010-05-08");
        WireProtocol.Encoded notFound = query.encodeError(iam,
                new ServiceException(ErrorCode.NoSuchEntity, "The user with name bob cannot be found."), "r-9");
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(text(notFound)).isEqualTo("<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
                + "<Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The user with name bob cannot be found."
                + "</Message></Error><RequestId>r-9</RequestId></ErrorResponse>");
        assertThat(query.encodeError(iam, new ServiceException(ErrorCode.LimitExceeded, "x"), "r").status()).isEqualTo(409);
        WireProtocol.Encoded badKey = query.encodeError(iam, new ServiceException(ErrorCode.UnrecognizedClientException,
                "The security token included in the request is invalid."), "r");
        assertThat(badKey.status()).isEqualTo(403);
        assertThat(text(badKey)).contains("<Code>InvalidClientTokenId</Code>");
        WireProtocol.Encoded failure = query.encodeError(iam, new ServiceException(ErrorCode.ServiceFailure, "x"), "r");
        assertThat(failure.status()).isEqualTo(500);
        assertThat(text(failure)).contains("<Type>Receiver</Type>");
    }

    @Test
    void unknownActionIsInvalidAction() {
        WireProtocol.Target target = query.target(form(IAM_SCOPE, "Action", "MakeCoffee", "Version", "2010-05-08"));
        WireProtocol.Encoded xml = query.encodeError(target, query.unknownOperation(target), "r");
        assertThat(xml.status()).isEqualTo(400);
        assertThat(text(xml)).contains("<Code>InvalidAction</Code><Message>Could not find operation MakeCoffee for "
                + "version 2010-05-08</Message>");
    }

    // ---- maps and nested structures, on a small model ----------------------------------------

    record Inner(String Name, List<String> Items) {}
    record PutRequest(Inner Inner, Map<String, String> Labels) {}

    @Test
    void mapsAndNestedStructuresFlattenAsBotocoreSendsThem() {
        ServiceModel model = ServiceModel.from(SyntheticModelTest.json("{'metadata':{'protocol':'query',"
                + "'apiVersion':'2020-01-01','endpointPrefix':'test','xmlNamespace':'urn:test'},"
                + "'operations':{'Put':{'input':{'shape':'PutRequest'},'output':{'shape':'PutRequest','resultWrapper':'PutResult'}}},"
                + "'shapes':{'PutRequest':{'type':'structure','members':{'Inner':{'shape':'Inner'},'Labels':{'shape':'Labels'}}},"
                + "'Inner':{'type':'structure','members':{'Name':{'shape':'Short'},'Items':{'shape':'Items'}}},"
                + "'Items':{'type':'list','member':{'shape':'Short'}},"
                + "'Labels':{'type':'map','key':{'shape':'Short'},'value':{'shape':'Short'}},"
                + "'Short':{'type':'string','max':3}}}"));
        QueryProtocol test = new QueryProtocol().withModel(model);
        Operation<PutRequest, PutRequest> put = new Operation<>("test", "Put", PutRequest.class, false, (c, r) -> r);
        ApiRequest request = form(null, "Action", "Put", "Version", "2020-01-01", "Inner.Name", "n",
                "Inner.Items.member.1", "x", "Inner.Items.member.2", "y",
                "Labels.entry.1.key", "k1", "Labels.entry.1.value", "v1", "Labels.entry.2.key", "k2",
                "Labels.entry.2.value", "v2");
        WireProtocol.Target target = test.target(request);
        assertThat(target.signingName()).isEqualTo("test");
        PutRequest decoded = (PutRequest) test.decode(target, put, request);
        assertThat(decoded).isEqualTo(new PutRequest(new Inner("n", List.of("x", "y")), Map.of("k1", "v1", "k2", "v2")));
        assertThat(text(test.encodeResult(target, put, decoded, "r"))).contains(
                "<PutResult><Inner><Name>n</Name><Items><member>x</member><member>y</member></Items></Inner>"
                        + "<Labels><entry><key>k1</key><value>v1</value></entry><entry><key>k2</key><value>v2</value>"
                        + "</entry></Labels></PutResult>");
        ApiRequest tooLong = form(null, "Action", "Put", "Version", "2020-01-01", "Inner.Items.member.1", "long",
                "Labels.entry.1.key", "kkkk", "Labels.entry.1.value", "v");
        ServiceException e = catchThrowableOfType(ServiceException.class, () -> test.decode(test.target(tooLong), put, tooLong));
        assertThat(e.getMessage()).isEqualTo("2 validation errors detected: Value 'long' at 'inner.items.1.member' failed to "
                + "satisfy constraint: Member must have length less than or equal to 3; Value 'kkkk' at 'labels.kkkk' "
                + "failed to satisfy constraint: Member must have length less than or equal to 3");
    }

    private ServiceException failure(ApiRequest request, Operation<?, ?> op) {
        ServiceException e = catchThrowableOfType(ServiceException.class,
                () -> query.decode(query.target(request), op, request));
        assertThat(e).isNotNull();
        return e;
    }

    static String text(WireProtocol.Encoded encoded) {
        return new String(encoded.body(), StandardCharsets.UTF_8);
    }

}
