package fr.guichet.channel.voice;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import fr.guichet.conversation.Expectation;
import java.time.Duration;
import java.util.Optional;

/**
 * The prompts a media stream may be listening to: what answers they expect and which step a recognised answer moves
 * the call to. Kept in memory for a few minutes — the stream starts within a second of the TwiML being answered, on
 * the same instance that answered it behind a sticky balancer; a miss only means keypad for that prompt.
 */
final class ListeningPrompts {
    record Listening(String callSid, String promptId, String language, int nextStep, Expectation expect) {}

    private final Cache<String, Listening> prompts = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMinutes(5))
            .maximumSize(10_000)
            .build();

    void expect(VoiceTwiml.SpeechStream stream, int nextStep, Expectation expect) {
        // Never for a secret (PIN): what a recogniser matches goes into the call-update URL.
        if (expect.secret()) throw new IllegalArgumentException("a secret answer is typed on the keypad, never listened to");
        prompts.put(stream.callSid() + "/" + stream.promptId(),
                new Listening(stream.callSid(), stream.promptId(), stream.language(), nextStep, expect));
    }

    Optional<Listening> find(String callSid, String promptId) {
        return Optional.ofNullable(prompts.getIfPresent(callSid + "/" + promptId));
    }

    /** Forgets a prompt once answered, so a late recognition cannot move the call twice. */
    Optional<Listening> take(String callSid, String promptId) {
        return Optional.ofNullable(prompts.asMap().remove(callSid + "/" + promptId));
    }
}
