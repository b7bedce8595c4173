package fr.guichet.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.twilio.security.RequestValidator;
import fr.guichet.TwilioSigner;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Twilio's published test vector (twilio.md §4.1, from the SDK's RequestValidatorTest), against SDK 13.0.1 and our test signer. */
class TwilioSignatureVectorTest {
    static final String URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
    static final Map<String, String> PARAMS = Map.of("CallSid", "CA1234567890ABCDE", "Caller", "+14158675309", "Digits", "1234",
            "From", "+14158675309", "To", "+18005551212");

    @Test
    void theSdkValidatorAcceptsThePublishedVectorWithAndWithoutThePort() {
        RequestValidator validator = new RequestValidator("12345");
        assertThat(validator.validate(URL, PARAMS, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isTrue();
        assertThat(validator.validate("https://mycompany.com:443/myapp.php?foo=1&bar=2", PARAMS, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isTrue();
    }

    @Test
    void theSdkValidatorRefusesAnyChange() {
        RequestValidator validator = new RequestValidator("12345");
        assertThat(validator.validate(URL, Map.of("Digits", "1234"), "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isFalse();
        assertThat(validator.validate(URL + "&x=1", PARAMS, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isFalse();
        assertThat(new RequestValidator("54321").validate(URL, PARAMS, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isFalse();
    }

    @Test
    void theTestSignerProducesThePublishedSignatures() {
        assertThat(TwilioSigner.sign("12345", URL, PARAMS)).isEqualTo("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
        assertThat(TwilioSigner.sign("12345", "https://mycompany.com:443/myapp.php?foo=1&bar=2", PARAMS)).isEqualTo("kvajT1Ptam85bY51eRf/AJRuM3w=");
    }
}
