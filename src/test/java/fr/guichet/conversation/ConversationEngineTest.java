package fr.guichet.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.phone.PhoneNumber;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ConversationEngineTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-03-02T08:00:00Z"), EngineFixture.PARIS);
    private final ConversationEngine engine = EngineFixture.engine(clock);
    private final PhoneNumber french = PhoneNumber.parse("+33612345678");

    private static String text(Step step) {
        return step.prompts().stream().map(Prompt::text).collect(Collectors.joining("\n"));
    }

    @Test
    void guessesFrenchFromAGreetingAndConfirmsIt() {
        Step first = engine.handle(null, french, Channel.SMS, "Bonjour", null, false, EngineFixture.CATALOGUE);
        assertThat(first.state().mode()).isEqualTo(ConversationState.Mode.LANGUAGE_CONFIRM);
        assertThat(first.state().language()).isEqualTo("fr");
        Step menu = engine.handle(first.state(), french, Channel.SMS, "1", null, false, EngineFixture.CATALOGUE);
        assertThat(text(menu)).contains("gratuit").contains("1 Prendre un rendez-vous");
        Step procedure = engine.handle(menu.state(), french, Channel.SMS, "un", null, false, EngineFixture.CATALOGUE);
        assertThat(text(procedure)).contains("Pour quelle démarche").contains("2 test renewal");
        Step site = engine.handle(procedure.state(), french, Channel.SMS, "٢", null, false, EngineFixture.CATALOGUE);
        assertThat(text(site)).contains("Dans quel lieu");
        Step expiry = engine.handle(site.state(), french, Channel.SMS, "vienne", null, false, EngineFixture.CATALOGUE);
        assertThat(text(expiry)).contains("titre de séjour");
        Step bad = engine.handle(expiry.state(), french, Channel.SMS, "🙂🙂", null, false, EngineFixture.CATALOGUE);
        assertThat(text(bad)).contains("12/03/2027");
        Step name = engine.handle(bad.state(), french, Channel.SMS, "12/03/2027", null, false, EngineFixture.CATALOGUE);
        Step birth = engine.handle(name.state(), french, Channel.SMS, "Amina Diallo", null, false, EngineFixture.CATALOGUE);
        Step find = engine.handle(birth.state(), french, Channel.SMS, "12.03.1990", null, false, EngineFixture.CATALOGUE);
        assertThat(find.action()).isNotNull();
        assertThat(find.action().name()).isEqualTo("find_slots");
        assertThat(find.action().vars()).containsEntry("procedure", "TEST_RENEWAL").containsEntry("site", "VIENNE")
                .containsEntry("birth_date", "1990-03-12").containsEntry("expiry", "2027-03-12");
        Step pick = engine.resume(find.state(), Channel.SMS, new ActionResult("success", Map.of("slot_count", "1",
                "slot_1_id", "41", "slot_1_start", "2026-03-10T09:00:00Z", "slot_1_site_name", "Sous-préfecture de Vienne")),
                EngineFixture.CATALOGUE);
        assertThat(text(pick)).contains("1 mardi 10 mars à 10:00, Sous-préfecture de Vienne").contains("2 Un autre jour");
        Step readback = engine.handle(pick.state(), french, Channel.SMS, "1", null, false, EngineFixture.CATALOGUE);
        assertThat(text(readback)).contains("Amina Diallo, rendez-vous le mardi 10 mars à 10:00");
        Step book = engine.handle(readback.state(), french, Channel.SMS, "oui", null, false, EngineFixture.CATALOGUE);
        assertThat(book.action().name()).isEqualTo("book");
        Step done = engine.resume(book.state(), Channel.SMS, new ActionResult("success", Map.of("reference", "482 915 306",
                "slot_start", "2026-03-10T09:00:00Z", "slot_site_name", "Sous-préfecture de Vienne")), EngineFixture.CATALOGUE);
        assertThat(text(done)).contains("Référence 482 915 306");
        assertThat(done.ended()).isTrue();
        assertThat(done.state().vars()).doesNotContainKeys("name", "birth_date");
    }

    @Test
    void stopIsAnsweredBeforeAnyFlowAndReportedAsOptOut() {
        Step first = engine.handle(null, french, Channel.SMS, "ARRÊT", null, false, EngineFixture.CATALOGUE);
        assertThat(first.optOut()).isEqualTo(Turn.OptOutChange.STOP);
        assertThat(text(first)).contains("plus de SMS");
    }

    @Test
    void asksAmongDariAndPashtoForAnAfghanNumber() {
        Step first = engine.handle(null, PhoneNumber.parse("+93701234567"), Channel.SMS, "", null, false, EngineFixture.CATALOGUE);
        assertThat(first.state().mode()).isEqualTo(ConversationState.Mode.LANGUAGE_MENU);
        assertThat(first.expect().choices()).hasSize(3);
        assertThat(List.of(text(first).split("\n"))).contains("1 دری", "2 پښتو");
    }
}
