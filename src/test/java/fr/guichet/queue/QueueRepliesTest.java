package fr.guichet.queue;

import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.booking.QueuedRequest;
import fr.guichet.booking.Slot;
import fr.guichet.language.LocaleFiles;
import fr.guichet.phone.PhoneNumber;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * INFO and DOCS through {@code POST /twilio/sms}: understood whether or not a conversation is open; inside one the
 * question in progress is asked again after the answer and the flow goes on; from a number with nothing queued or
 * booked the words go to the flows as before.
 */
class QueueRepliesTest extends QueueServiceTest {
    @Autowired LocaleFiles locales;
    private QueuedRequest request;

    @AfterEach
    void withdraw() {
        if (request != null) jdbc.sql("UPDATE requests SET status = 'WITHDRAWN' WHERE reference = :r").param("r", request.reference().value()).update();
    }

    @Test
    void infoGivesTheLegalTextAndDocsTheListOutsideAConversation() {
        clock.set(START.plus(Duration.ofDays(12)));
        PhoneNumber phone = freshMobile();
        // A procedure the tests' slots never accept: the request keeps waiting.
        request = queue("QD", "VPF_LIENS_PERSONNELS", phone, "fr", null);

        String info = sms(phone, "INFO");
        assertThat(info).contains("Accusé de réception (code des relations entre le public et l'administration, art. L112-3).",
                request.reference().grouped(), "13 mars 2027 à 09:30", "Antenne de test D, 4 rue de l'Essai, 38000 Grenoble, tél. 04 76 00 00 04",
                "Défenseur des droits", "tribunal administratif de Grenoble");
        assertThat(sms(phone, "docs")).isEqualTo(locales.text("fr", "procedure.VPF_LIENS_PERSONNELS.documents", Map.of()));

        // A number with nothing queued: INFO is the main menu's own word, as before.
        String stranger = sms(freshMobile(), "INFO");
        assertThat(stranger).doesNotContain("Accusé de réception");
    }

    @Test
    void duringAConversationTheWordsAreAnsweredAndTheQuestionAskedAgain() {
        clock.set(START.plus(Duration.ofDays(12)));
        PhoneNumber phone = freshMobile();
        request = queue("QD", "VPF_LIENS_PERSONNELS", phone, "fr", null);
        sms(phone, "Bonjour");
        assertThat(sms(phone, "1")).contains("Que voulez-vous faire ?");
        assertThat(sms(phone, "1")).contains("Pour quelle démarche ?");
        assertThat(sms(phone, "1")).contains("Dans quel lieu ?");

        String docs = sms(phone, "DOCS");
        assertThat(docs).startsWith(locales.text("fr", "procedure.VPF_LIENS_PERSONNELS.documents", Map.of())).contains("Dans quel lieu ?");
        assertThat(sms(phone, "info")).contains("Accusé de réception", "Dans quel lieu ?");
        // The flow goes on where it was.
        assertThat(sms(phone, "1")).contains("Écrivez votre nom et votre prénom.");
    }

    @Test
    void docsGivesTheListOfTheNextAppointment() {
        clock.set(START.plus(Duration.ofDays(12)));
        PhoneNumber phone = freshMobile();
        Slot slot = open("QD", at(today().plusDays(3), 11, 0), 2);
        bookFirstCome(slot.id(), phone);
        assertThat(sms(phone, "Docs")).isEqualTo(locales.text("fr", "procedure.AES_VIE_PRIVEE.documents", Map.of()));
    }
}
