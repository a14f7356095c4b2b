package dev.coffer.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class SigV4AuthorizationTest {

    private static final String SIG = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
    private static final String WELL_FORMED = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
        + "aws4_request, SignedHeaders=host;x-amz-date, Signature=" + SIG;

    private static AbstractThrowableAssert<?, ? extends Throwable> assertMalformed(String header, String errorCode) {
        return assertThatThrownBy(() -> SigV4Authorization.parse(header))
            .isInstanceOf(MalformedAuthorizationException.class)
            .satisfies(e -> assertThat(((MalformedAuthorizationException) e).errorCode()).isEqualTo(errorCode));
    }

    @Test
    void wellFormedHeader_parsesIntoItsParts() {
        SigV4Authorization auth = SigV4Authorization.parse(WELL_FORMED);
        assertThat(auth.accessKeyId()).isEqualTo("AKIDEXAMPLE");
        assertThat(auth.date()).isEqualTo("20150830");
        assertThat(auth.region()).isEqualTo("us-east-1");
        assertThat(auth.service()).isEqualTo("service");
        assertThat(auth.terminator()).isEqualTo("aws4_request");
        assertThat(auth.signedHeaders()).containsExactly("host", "x-amz-date");
        assertThat(auth.signature()).isEqualTo(SIG);
        assertThat(auth.scope()).isEqualTo("20150830/us-east-1/service/aws4_request");
    }

    @Test
    void parametersInAnyOrderAndSpacing_parse() {
        SigV4Authorization auth = SigV4Authorization.parse("  AWS4-HMAC-SHA256   Signature=" + SIG
            + ",SignedHeaders=host,   Credential=AKID/20240101/eu-west-1/secretsmanager/aws4_request  ");
        assertThat(auth.accessKeyId()).isEqualTo("AKID");
        assertThat(auth.signedHeaders()).containsExactly("host");
        assertThat(auth.signature()).isEqualTo(SIG);
    }

    @Test
    void trailingSlashInCredential_isIgnored_asAwsDoes() {
        SigV4Authorization auth = SigV4Authorization.parse(WELL_FORMED.replace("aws4_request,", "aws4_request/,"));
        assertThat(auth.terminator()).isEqualTo("aws4_request");
    }

    @Test
    void notSigV4AtAll_namesEveryMissingParameter() {
        assertMalformed("Bearer abc.def.ghi=", MalformedAuthorizationException.INCOMPLETE_SIGNATURE)
            .hasMessage("Authorization header requires 'Credential' parameter. "
                + "Authorization header requires 'Signature' parameter. "
                + "Authorization header requires 'SignedHeaders' parameter. "
                + "Authorization=Bearer abc.def.ghi=");
    }

    @Test
    void missingDateHeaderToo_isReportedInTheSameAwsMessage() {
        assertThatThrownBy(() -> SigV4Authorization.parse("AWS4-HMAC-SHA256 ", false))
            .isInstanceOf(MalformedAuthorizationException.class)
            .hasMessage("Authorization header requires 'Credential' parameter. "
                + "Authorization header requires 'Signature' parameter. "
                + "Authorization header requires 'SignedHeaders' parameter. "
                + "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
                + "Authorization=AWS4-HMAC-SHA256 ");
        assertThatThrownBy(() -> SigV4Authorization.parse(WELL_FORMED, false))
            .hasMessage("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
                + "Authorization=" + WELL_FORMED);
    }

    @Test
    void eachMissingParameter_isNamed() {
        assertMalformed("AWS4-HMAC-SHA256 SignedHeaders=host, Signature=" + SIG,
            MalformedAuthorizationException.INCOMPLETE_SIGNATURE)
            .hasMessageStartingWith("Authorization header requires 'Credential' parameter. Authorization=");
        assertMalformed("AWS4-HMAC-SHA256 Credential=A/20150830/us-east-1/s/aws4_request, SignedHeaders=host",
            MalformedAuthorizationException.INCOMPLETE_SIGNATURE)
            .hasMessageStartingWith("Authorization header requires 'Signature' parameter. Authorization=");
        assertMalformed("AWS4-HMAC-SHA256 Credential=A/20150830/us-east-1/s/aws4_request, Signature=" + SIG,
            MalformedAuthorizationException.INCOMPLETE_SIGNATURE)
            .hasMessageStartingWith("Authorization header requires 'SignedHeaders' parameter. Authorization=");
        assertMalformed("AWS4-HMAC-SHA256 Credential=, SignedHeaders=host, Signature=" + SIG,
            MalformedAuthorizationException.INCOMPLETE_SIGNATURE)
            .hasMessageStartingWith("Authorization header requires 'Credential' parameter. Authorization=");
    }

    @Test
    void parameterWithoutEqualSign_isRejectedWithAwsWording() {
        String header = "AWS4-HMAC-SHA256 Signature=b,    Credential,    SignedHeaders";
        assertMalformed(header, MalformedAuthorizationException.INCOMPLETE_SIGNATURE)
            .hasMessage("'Credential' not a valid key=value pair (missing equal-sign) in Authorization header: '"
                + header + "'.");
    }

    @Test
    void wrongAlgorithm_isUnsupported() {
        assertMalformed(WELL_FORMED.replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512"),
            MalformedAuthorizationException.INCOMPLETE_SIGNATURE)
            .hasMessage("Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now).");
    }

    @Test
    void credentialWithTooFewOrTooManyParts_isRejected() {
        assertMalformed(WELL_FORMED.replace("AKIDEXAMPLE/20150830/us-east-1/service/aws4_request", "a/b/c/d"),
            MalformedAuthorizationException.INCOMPLETE_SIGNATURE)
            .hasMessage("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term,"
                + " got 'a/b/c/d'");
        assertMalformed(WELL_FORMED.replace("AKIDEXAMPLE/", "AKID/EXAMPLE/"),
            MalformedAuthorizationException.INCOMPLETE_SIGNATURE)
            .hasMessageContaining("got 'AKID/EXAMPLE/20150830/us-east-1/service/aws4_request'");
    }

    @Test
    void wrongTerminator_isRejected() {
        assertMalformed(WELL_FORMED.replace("aws4_request", "aws5_request"),
            MalformedAuthorizationException.INVALID_SIGNATURE)
            .hasMessage("Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'.");
    }

    @Test
    void hostNotSigned_isRejected() {
        assertMalformed(WELL_FORMED.replace("SignedHeaders=host;x-amz-date", "SignedHeaders=x-amz-date"),
            MalformedAuthorizationException.INVALID_SIGNATURE)
            .hasMessage("'Host' must be a 'SignedHeader' in the AWS Authorization.");
        assertMalformed(WELL_FORMED.replace("SignedHeaders=host;x-amz-date", "SignedHeaders="),
            MalformedAuthorizationException.INVALID_SIGNATURE);
    }

    @Test
    void repeatedParameter_isRejectedAsAmbiguous() {
        assertMalformed(WELL_FORMED + ", Signature=" + SIG.replace('5', '6'),
            MalformedAuthorizationException.INCOMPLETE_SIGNATURE)
            .hasMessageStartingWith("Authorization header has a repeated 'Signature' parameter.");
    }

    @Test
    void emptyHeader_namesEveryMissingParameter() {
        assertMalformed("", MalformedAuthorizationException.INCOMPLETE_SIGNATURE)
            .hasMessageEndingWith("Authorization header requires 'SignedHeaders' parameter. Authorization=");
    }
}
