package fr.guichet.channel.voice;

import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.TwilioServiceTest;
import fr.guichet.TwilioSigner;
import fr.guichet.Webhooks;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code X-Twilio-Signature} on the voice webhooks, with an auth token configured (the whole service over real HTTP
 * and PostgreSQL, as for SMS in SmsChannelTest): forged, missing, or made over other parameters or another URL → 403.
 */
class VoiceSignatureTest extends TwilioServiceTest {

    static Map<String, String> call(String sid, String from, String... extra) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("CallSid", sid);
        p.put("AccountSid", ACCOUNT);
        p.put("From", from);
        p.put("To", "+33757000000");
        p.put("CallStatus", "ringing");
        p.put("Direction", "inbound");
        p.put("ApiVersion", "2010-04-01");
        p.put("FromCountry", "FR");
        for (int i = 0; i + 1 < extra.length; i += 2) p.put(extra[i], extra[i + 1]);
        return p;
    }

    static String freshCallSid() {
        return "CA" + "%032x".formatted(System.nanoTime());
    }

    @Test
    void aSignedCallIsAnsweredWithTwiml() {
        HttpResponse<String> response = webhooks.post("/twilio/voice", call(freshCallSid(), freshNumber().e164()));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/xml");
        assertThat(response.body()).contains("<Gather", Webhooks.PUBLIC_BASE + "/twilio/voice/language?n=1");
    }

    @Test
    void aForgedSignatureOnAnIncomingCallIsRefusedWith403() {
        String sid = freshCallSid();
        Map<String, String> params = call(sid, freshNumber().e164());
        String forged = TwilioSigner.sign("not-the-token", Webhooks.PUBLIC_BASE + "/twilio/voice", params);
        HttpResponse<String> response = webhooks.post("/twilio/voice", params, forged);
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(response.body()).contains("\"status\":403").doesNotContain("<Response");
        // Nothing of the call was recorded.
        assertThat(jdbc.sql("SELECT count(*) FROM voice_call WHERE call_sid = ?").param(sid).query(Integer.class).single()).isZero();
    }

    @Test
    void aMissingSignatureOnAnIncomingCallIsRefusedWith403() {
        HttpResponse<String> response = webhooks.post("/twilio/voice", call(freshCallSid(), freshNumber().e164()), null);
        assertThat(response.statusCode()).isEqualTo(403);
    }

    @Test
    void aSignatureOverOtherParametersOrForTheInternalUrlIsRefused() {
        Map<String, String> signed = call(freshCallSid(), freshNumber().e164());
        String signature = TwilioSigner.sign(Webhooks.TOKEN, Webhooks.PUBLIC_BASE + "/twilio/voice", signed);
        Map<String, String> tampered = new HashMap<>(signed);
        tampered.put("From", freshNumber().e164());
        assertThat(webhooks.post("/twilio/voice", tampered, signature).statusCode()).isEqualTo(403);

        String internal = TwilioSigner.sign(Webhooks.TOKEN, "http://localhost:" + port + "/twilio/voice", signed);
        assertThat(webhooks.post("/twilio/voice", signed, internal).statusCode()).isEqualTo(403);
    }

    @Test
    void aKeypadAnswerSignedForAnotherStepIsRefused() {
        String sid = freshCallSid();
        String from = freshNumber().e164();
        assertThat(webhooks.post("/twilio/voice", call(sid, from)).statusCode()).isEqualTo(200);
        Map<String, String> keys = call(sid, from, "Digits", "1");
        // The query string is part of what Twilio signs: a signature for step 1 does not open step 2.
        String forStepOne = TwilioSigner.sign(Webhooks.TOKEN, Webhooks.PUBLIC_BASE + "/twilio/voice/language?n=1&page=0", keys);
        assertThat(webhooks.post("/twilio/voice/language?n=2&page=0", keys, forStepOne).statusCode()).isEqualTo(403);
        assertThat(webhooks.post("/twilio/voice/language?n=1&page=0", keys, forStepOne).statusCode()).isEqualTo(200);
    }
}
