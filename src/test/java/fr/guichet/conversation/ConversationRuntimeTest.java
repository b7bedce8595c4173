package fr.guichet.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.GuichetTest;
import fr.guichet.phone.PhoneNumber;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

@GuichetTest
class ConversationRuntimeTest {
    @Autowired Conversations conversations;
    @Autowired ConversationStore store;

    @Test
    void messagesFromOnePersonArrivingTogetherAreProcessedOneAfterTheOther() throws Exception {
        PhoneNumber phone = PhoneNumber.parse("+33612000901");
        conversations.handle(new Inbound(phone, Channel.SMS, "Bonjour", "FR", false));
        conversations.handle(new Inbound(phone, Channel.SMS, "1", "FR", false));
        int turns = 40;
        List<Callable<Turn>> calls = new ArrayList<>();
        for (int i = 0; i < turns; i++) calls.add(() -> conversations.handle(new Inbound(phone, Channel.SMS, "aide", "FR", false)));
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (Future<Turn> f : pool.invokeAll(calls)) assertThat(f.get().prompts()).isNotEmpty();
        }
        // Every turn counts itself in the state; an interleaved read-modify-write would lose some.
        ConversationState state = store.find(phone).orElseThrow();
        assertThat(Integer.parseInt(state.vars().get("_steps"))).isEqualTo(turns + 1);
    }

    @Test
    void anyInputGetsAnAnswerAndNeverAnException() {
        PhoneNumber phone = PhoneNumber.parse("+33612000902");
        for (String text : new String[] {"", "   ", "\u0000\u0001", "🙂".repeat(5000), "x".repeat(100_000), "١", "\uD800", "%s%n${x}"}) {
            Turn turn = conversations.handle(new Inbound(phone, Channel.SMS, text, null, false));
            assertThat(turn.prompts()).as(text.length() > 20 ? text.substring(0, 20) : text).isNotEmpty();
            assertThat(turn.prompts()).allSatisfy(p -> assertThat(p.text()).isNotBlank());
        }
        assertThat(conversations.languageOf(phone)).isPresent();
        assertThat(conversations.languageOf(PhoneNumber.parse("+33612000903"))).isEmpty();
    }
}
