package fr.guichet.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.phone.PhoneNumber;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine after a reply to a notice (a reminder, an offer) was answered by its capability. */
class AfterNoticeTest {
    static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
    final PhoneNumber phone = PhoneNumber.parse("+33612345678");

    /** A conversation left at the procedure question at T0. */
    ConversationState atProcedureQuestion() {
        ConversationEngine engine = EngineFixture.engine(Clock.fixed(T0, EngineFixture.PARIS));
        Step hello = engine.handle(null, phone, Channel.SMS, "Bonjour", null, false, EngineFixture.CATALOGUE);
        Step menu = engine.handle(hello.state(), phone, Channel.SMS, "1", null, false, EngineFixture.CATALOGUE);
        return engine.handle(menu.state(), phone, Channel.SMS, "1", null, false, EngineFixture.CATALOGUE).state();
    }

    @Test
    void inAConversationTheQuestionIsAskedAgain() {
        ConversationEngine engine = EngineFixture.engine(Clock.fixed(T0.plus(Duration.ofMinutes(2)), EngineFixture.PARIS));
        ConversationState state = atProcedureQuestion();
        assertThat(engine.inConversation(state)).isTrue();
        Step after = engine.afterNotice(state, "fr", Channel.SMS, null, Map.of(), EngineFixture.CATALOGUE);
        assertThat(after.prompts()).extracting(Prompt::key).contains("booking.procedure");
        assertThat(after.state().updatedAt()).isEqualTo(T0.plus(Duration.ofMinutes(2)));
    }

    @Test
    void anIdleConversationStaysIdleSoItsNextMessageIsOfferedToResume() {
        Instant later = T0.plus(Duration.ofHours(2));
        ConversationEngine engine = EngineFixture.engine(Clock.fixed(later, EngineFixture.PARIS));
        ConversationState state = atProcedureQuestion();
        assertThat(engine.inConversation(state)).isFalse();
        Step after = engine.afterNotice(state, "fr", Channel.SMS, null, Map.of(), EngineFixture.CATALOGUE);
        assertThat(after.prompts()).isEmpty();
        // Not woken up: still idle, so a "1" now is not taken as the answer to a question put two hours ago.
        assertThat(engine.inConversation(after.state())).isFalse();
        Step next = engine.handle(after.state(), phone, Channel.SMS, "1", null, false, EngineFixture.CATALOGUE);
        assertThat(next.prompts()).extracting(Prompt::key).containsExactly("resume.ask");
    }

    @Test
    void aNumberNeverSeenStartsInTheNoticesLanguageAtTheMainMenusDoor() {
        ConversationEngine engine = EngineFixture.engine(Clock.fixed(T0, EngineFixture.PARIS));
        Step after = engine.afterNotice(null, "ar", Channel.SMS, null, Map.of(), EngineFixture.CATALOGUE);
        assertThat(after.state().language()).isEqualTo("ar");
        assertThat(after.state().mode()).isEqualTo(ConversationState.Mode.ENDED);
        assertThat(engine.inConversation(after.state())).isFalse();
    }
}
