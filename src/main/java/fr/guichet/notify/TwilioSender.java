package fr.guichet.notify;

import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import com.twilio.exception.TwilioException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import java.util.Set;
import org.springframework.stereotype.Component;

/** One REST call to create a message, and what its outcome means for the outbox. */
@Component
class TwilioSender {
    /** Worth trying again later: Twilio's own rate limit, an unreachable handset, an unknown carrier error. */
    static final Set<Integer> TRANSIENT_CODES = Set.of(20429, 30003, 30008);
    /** The number cannot receive texts: invalid, landline, unknown handset, landline or unreachable carrier. */
    static final Set<Integer> NOT_SMS_CAPABLE_CODES = Set.of(21211, 21614, 30005, 30006);
    static final int OPTED_OUT_CODE = 21610;

    enum Outcome { ACCEPTED, RETRY, NOT_SMS_CAPABLE, OPTED_OUT, FAILED }

    record Result(Outcome outcome, String sid, String status, Integer errorCode) {}

    private final TwilioRestClient client;
    private final TwilioAccount account;

    TwilioSender(TwilioRestClient client, TwilioAccount account) {
        this.client = client;
        this.account = account;
    }

    Result send(String toE164, String body, String statusCallback) {
        try {
            Message message = Message.creator(
                            new com.twilio.type.PhoneNumber(toE164), new com.twilio.type.PhoneNumber(account.phoneNumber()), body)
                    .setStatusCallback(statusCallback)
                    .create(client);
            return new Result(Outcome.ACCEPTED, message.getSid(),
                    message.getStatus() == null ? "queued" : message.getStatus().toString(), null);
        } catch (ApiException e) {
            return new Result(classify(e.getCode(), e.getStatusCode()), null, null, e.getCode());
        } catch (ApiConnectionException e) {
            // No answer (connect or read timeout): the message may or may not exist at Twilio; retried, see docs/sms.md.
            return new Result(Outcome.RETRY, null, null, null);
        } catch (TwilioException e) {
            return new Result(Outcome.RETRY, null, null, null);
        }
    }

    /** What an error code (from the REST answer or a status callback) means for the message and the number. */
    static Outcome classify(Integer code, Integer httpStatus) {
        if (code != null) {
            if (code == OPTED_OUT_CODE) return Outcome.OPTED_OUT;
            if (NOT_SMS_CAPABLE_CODES.contains(code)) return Outcome.NOT_SMS_CAPABLE;
            if (TRANSIENT_CODES.contains(code)) return Outcome.RETRY;
        }
        if (httpStatus == null || httpStatus >= 500 || httpStatus == 429) return Outcome.RETRY;
        return Outcome.FAILED;
    }
}
