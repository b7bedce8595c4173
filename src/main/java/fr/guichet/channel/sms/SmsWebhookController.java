package fr.guichet.channel.sms;

import fr.guichet.conversation.Channel;
import fr.guichet.conversation.Conversations;
import fr.guichet.conversation.Inbound;
import fr.guichet.conversation.Prompt;
import fr.guichet.conversation.Turn;
import fr.guichet.notify.Outbox;
import fr.guichet.notify.OutboundText;
import fr.guichet.notify.SmsNumbers;
import fr.guichet.phone.PhoneNumber;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /twilio/sms}: one inbound text, answered with TwiML within the reply deadline. The signature was
 * checked by {@code TwilioSignatureFilter}. The turn runs on its own thread; if it is not done by the deadline the
 * person is told their request is recorded, and the turn's reply goes later through the outbox as {@code reply:<sid>}.
 */
@RestController
class SmsWebhookController implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(SmsWebhookController.class);
    /** As Spring wrote it from a {@code ResponseEntity} with {@code MediaType("application", "xml", UTF_8)}. */
    private static final String XML = "application/xml;charset=UTF-8";
    static final String DEFAULT_LANGUAGE = "fr";

    private final ObjectProvider<Conversations> conversations;
    private final InboundMessages inbound;
    private final SmsReplies replies;
    private final Outbox outbox;
    private final SmsNumbers numbers;
    private final Duration replyDeadline;
    private final int perMinuteLimit;
    private final ExecutorService turns = Executors.newVirtualThreadPerTaskExecutor();
    /** The runtime once found: looking it up in the bean factory on every text cost 1.5 % of a webhook's CPU. */
    private volatile Conversations runtime;

    SmsWebhookController(ObjectProvider<Conversations> conversations, InboundMessages inbound, SmsReplies replies,
                         Outbox outbox, SmsNumbers numbers,
                         @Value("${app.sms.reply-deadline:1500ms}") Duration replyDeadline,
                         @Value("${app.sms.inbound-per-minute:20}") int perMinuteLimit) {
        this.conversations = conversations;
        this.inbound = inbound;
        this.replies = replies;
        this.outbox = outbox;
        this.numbers = numbers;
        this.replyDeadline = replyDeadline;
        this.perMinuteLimit = perMinuteLimit;
    }

    /**
     * Writes the TwiML itself rather than through a {@code ResponseEntity} and Spring's message converters (their
     * selection and header handling were about a fifth of the controller's CPU): same status, content type, length and
     * bytes, whatever the {@code Accept} header.
     */
    @PostMapping(path = "/twilio/sms", produces = {"application/xml", "text/xml", "*/*"})
    void receive(@RequestParam Map<String, String> params, HttpServletResponse response) throws IOException {
        String xml;
        try {
            xml = answer(params);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            xml = SmsReplies.EMPTY;
        } catch (RuntimeException e) {
            // Never a 500 to Twilio (it would be error 11200 and the person would hear nothing): apologise instead.
            log.error("Inbound SMS failed", e);
            xml = safeApology(DEFAULT_LANGUAGE);
        }
        byte[] body = xml.getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(XML);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private String answer(Map<String, String> params) throws InterruptedException {
        String sid = params.getOrDefault("MessageSid", params.get("SmsSid"));
        PhoneNumber from = phoneOrNull(params.get("From"));
        if (sid == null || sid.isBlank() || sid.length() > 64 || from == null) {
            log.info("Inbound SMS without a usable MessageSid or sender number: answered with an empty response");
            return SmsReplies.EMPTY;
        }
        int hits = inbound.claimAndCount(sid, from);
        if (hits == 0) {
            // A redelivery, or the same delivery racing itself: repeat the first answer, trigger nothing.
            return inbound.awaitAnswer(sid, replyDeadline.plusMillis(300)).orElse(SmsReplies.EMPTY);
        }
        String xml = firstAnswer(sid, from, params.get("Body"), params.get("FromCountry"), hits);
        inbound.answer(sid, xml);
        return xml;
    }

    private String firstAnswer(String sid, PhoneNumber from, String body, String country, int hits) throws InterruptedException {
        Conversations runtime = runtime();
        if (hits > perMinuteLimit) {
            log.info("Inbound SMS from {} over the limit of {} a minute", from, perMinuteLimit);
            return hits == perMinuteLimit + 1
                    ? replies.twiml(List.of(replies.text(languageOf(runtime, from), "sms.rate_limited")))
                    : SmsReplies.EMPTY;
        }
        if (runtime == null) {
            log.error("No conversation runtime in this build: inbound SMS answered with an apology");
            return safeApology(DEFAULT_LANGUAGE);
        }
        Inbound input = new Inbound(from, Channel.SMS, clean(body), country, false);
        CompletableFuture<Turn> turn = CompletableFuture.supplyAsync(() -> runtime.handle(input), turns);
        try {
            Turn done = turn.get(replyDeadline.toMillis(), TimeUnit.MILLISECONDS);
            applyOptOut(from, done);
            return replies.twiml(replies.parts(joined(done), done.language()));
        } catch (TimeoutException slow) {
            String language = languageOf(runtime, from);
            turn.whenComplete((late, failure) -> sendLater(sid, from, late, failure, language));
            log.info("Turn for {} slower than {} ms: reply deferred to the outbox", from, replyDeadline.toMillis());
            return replies.twiml(List.of(replies.text(language, "sms.reply_deferred")));
        } catch (ExecutionException failed) {
            log.error("Conversation turn failed", failed.getCause());
            return safeApology(languageOf(runtime, from));
        }
    }

    private Conversations runtime() {
        Conversations found = runtime;
        if (found == null) {
            found = conversations.getIfAvailable();
            runtime = found;
        }
        return found;
    }

    private void sendLater(String sid, PhoneNumber from, Turn late, Throwable failure, String fallbackLanguage) {
        try {
            List<String> parts;
            String language;
            if (failure != null || late == null) {
                log.error("Deferred conversation turn failed", failure);
                language = fallbackLanguage;
                parts = List.of(replies.text(language, "sms.error"));
            } else {
                applyOptOut(from, late);
                language = late.language();
                parts = replies.parts(joined(late), language);
            }
            for (int i = 0; i < parts.size(); i++) {
                String key = parts.size() == 1 ? "reply:" + sid : "reply:" + sid + ":" + (i + 1);
                outbox.enqueue(new OutboundText(from, key, parts.get(i), language, null));
            }
        } catch (RuntimeException e) {
            log.error("Could not queue a deferred reply", e);
        }
    }

    private void applyOptOut(PhoneNumber from, Turn turn) {
        switch (turn.optOut() == null ? Turn.OptOutChange.NONE : turn.optOut()) {
            case STOP -> numbers.optOut(from);
            case START -> numbers.optIn(from);
            case NONE -> { }
        }
    }

    private static String joined(Turn turn) {
        return turn.prompts().stream().map(Prompt::text).filter(t -> t != null && !t.isBlank())
                .collect(Collectors.joining("\n"));
    }

    private String languageOf(Conversations runtime, PhoneNumber from) {
        try {
            return runtime == null ? DEFAULT_LANGUAGE : runtime.languageOf(from).orElse(DEFAULT_LANGUAGE);
        } catch (RuntimeException e) {
            return DEFAULT_LANGUAGE;
        }
    }

    private String safeApology(String language) {
        try {
            return replies.twiml(List.of(replies.text(language, "sms.error")));
        } catch (RuntimeException e) {
            return SmsReplies.EMPTY;
        }
    }

    /** Control characters other than line breaks and tabs carry nothing a person meant to say. */
    static String clean(String body) {
        if (body == null) return "";
        StringBuilder out = new StringBuilder(Math.min(body.length(), 1600));
        body.codePoints().limit(1600).forEach(cp -> {
            if (cp == '\n' || cp == '\t' || !Character.isISOControl(cp)) out.appendCodePoint(cp);
        });
        return out.toString();
    }

    private static PhoneNumber phoneOrNull(String raw) {
        if (raw == null) return null;
        try {
            return new PhoneNumber(raw.strip());
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public void destroy() {
        turns.shutdown();
        try {
            turns.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
