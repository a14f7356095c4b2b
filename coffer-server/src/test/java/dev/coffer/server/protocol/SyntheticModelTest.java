package dev.coffer.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import org.junit.jupiter.api.Test;

/** Behaviour the Secrets Manager model does not exercise, checked on small hand-made models. */
class SyntheticModelTest {

    static JsonNode json(String text) {
        return InputValidatorTest.json(text.replace('\'', '"'));
    }

    static ServiceModel model(String shapes) {
        return ServiceModel.from(json("{'metadata':{'targetPrefix':'Test','endpointPrefix':'test'},"
                + "'operations':{'Put':{'input':{'shape':'PutRequest'}}},'shapes':" + shapes + "}"));
    }

    static final ServiceModel NESTED = model("{"
            + "'PutRequest':{'type':'structure','members':{"
            + "  'Vault':{'shape':'Vault'},'Labels':{'shape':'Labels'},'Ratio':{'shape':'Ratio'},'Count':{'shape':'Count'}}},"
            + "'Vault':{'type':'structure','sensitive':true,'members':{'Keys':{'shape':'Keys'},'Blob':{'shape':'Blob'}}},"
            + "'Keys':{'type':'list','member':{'shape':'Short'}},"
            + "'Short':{'type':'string','max':3},"
            + "'Blob':{'type':'blob'},"
            + "'Labels':{'type':'map','key':{'shape':'Short'},'value':{'shape':'Short'},'max':2},"
            + "'Ratio':{'type':'double','min':0.5},"
            + "'Count':{'type':'long'}}");

    static ServiceException failure(ServiceModel model, String body) {
        ServiceException e = catchThrowableOfType(ServiceException.class,
                () -> new InputValidator(model).validate("Put", json(body)));
        assertThat(e).isNotNull();
        return e;
    }

    @Test
    void partsOfASensitiveValueAreNeverShown() {
        ServiceException e = failure(NESTED, "{'Vault':{'Keys':['ok','hunter2']}}");

        assertThat(e.getMessage()).isEqualTo("1 validation error detected: Value at 'vault.keys.2.member' "
                + "failed to satisfy constraint: Member must have length less than or equal to 3");
    }

    @Test
    void aBadBlobInsideASensitiveValueIsNotShown() {
        ServiceException e = failure(NESTED, "{'Vault':{'Blob':'hunter2'}}");

        assertThat(e.code()).isEqualTo(ErrorCode.SerializationException);
        assertThat(e.getMessage()).isEqualTo("Value can not be converted to a Blob: "
                + "Base64 encoded length is expected a multiple of 4 bytes but found: 7");
    }

    @Test
    void maps() {
        assertThat(failure(NESTED, "{'Labels':{'a':'b','c':'d','e':'ffff'}}").getMessage())
                .isEqualTo("2 validation errors detected: "
                        + "Value '{a=b, c=d, e=ffff}' at 'labels' failed to satisfy constraint: Member must have length less than or equal to 2; "
                        + "Value 'ffff' at 'labels.e.member' failed to satisfy constraint: Member must have length less than or equal to 3");
        assertThat(failure(NESTED, "{'Labels':'x'}").getMessage()).isEqualTo("Expected map or null");
        assertThat(failure(NESTED, "{'Labels':[]}").getMessage()).isEqualTo("Start of list found where not expected");
    }

    @Test
    void floatingPointNumbers() {
        assertThat(failure(NESTED, "{'Ratio':0.25}").getMessage()).isEqualTo("1 validation error detected: "
                + "Value '0.25' at 'ratio' failed to satisfy constraint: Member must have value greater than or equal to 0.5");
        assertThat(failure(NESTED, "{'Ratio':'1'}").getMessage()).isEqualTo("STRING_VALUE can not be converted to a Double");
        new InputValidator(NESTED).validate("Put", json("{'Ratio':2}"));
    }

    @Test
    void aWholeNumberBeyondLongWithoutABoundIsATypeError() {
        assertThat(failure(NESTED, "{'Count':9223372036854775808}").getMessage())
                .isEqualTo("NUMBER_VALUE can not be converted to a Long");
        new InputValidator(NESTED).validate("Put", json("{'Count':9223372036854775807}"));
    }

    @Test
    void brokenModelsFailAtLoadTime() {
        assertThatThrownBy(() -> model("{'PutRequest':{'type':'structure','members':{'A':{'shape':'Missing'}}}}"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Missing");
        assertThatThrownBy(() -> model("{'PutRequest':{'type':'structure','members':{'A':{'shape':'S'}}},"
                + "'S':{'type':'string','pattern':'[unclosed'}}"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("pattern");
        assertThatThrownBy(() -> model("{'PutRequest':{'type':'union','members':{}}}"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("union");
        assertThatThrownBy(() -> model("{'PutRequest':{'type':'structure','required':['B'],'members':{}}}"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("B");
    }

    @Test
    void theSigningNameDefaultsToTheEndpointPrefix() {
        assertThat(NESTED.signingName()).isEqualTo("test");
        assertThat(NESTED.targetPrefix()).isEqualTo("Test");
    }
}
