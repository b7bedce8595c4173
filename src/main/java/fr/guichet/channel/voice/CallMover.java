package fr.guichet.channel.voice;

import com.twilio.http.HttpMethod;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a live call on when speech was recognised: the REST Calls update points the call at the next step, with the
 * recognised choice in the URL. The keypad answer to the same prompt goes to the same step number, so whichever
 * arrives second gets the stored answer and runs no second turn.
 */
final class CallMover {
    private static final Logger log = LoggerFactory.getLogger(CallMover.class);

    private final Supplier<TwilioRestClient> client;
    private final VoiceTwiml twiml;

    CallMover(Supplier<TwilioRestClient> client, VoiceTwiml twiml) {
        this.client = client;
        this.twiml = twiml;
    }

    String stepUrl(int nextStep, String choiceKey) {
        return twiml.url("/twilio/voice/step?n=" + nextStep + "&speech=" + URLEncoder.encode(choiceKey, StandardCharsets.UTF_8));
    }

    /** Returns false when the call could not be moved (no REST client in this service, or Twilio refused); the keypad still works. */
    boolean moveOn(String callSid, int nextStep, String choiceKey) {
        TwilioRestClient rest = client.get();
        if (rest == null) {
            log.warn("Voice: speech recognised but no Twilio REST client in this service; the caller must use the keypad");
            return false;
        }
        try {
            Call.updater(callSid).setUrl(URI.create(stepUrl(nextStep, choiceKey))).setMethod(HttpMethod.POST).update(rest);
            return true;
        } catch (RuntimeException e) {
            log.warn("Voice: moving the call on after speech failed ({}); the caller can still use the keypad", e.getClass().getSimpleName());
            return false;
        }
    }
}
