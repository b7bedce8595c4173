package fr.guichet.channel.sms;

import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.language.LocaleFiles;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmsRepliesTest {
    static final LocaleFiles TEXTS = LocaleFiles.loadFromClasspath(ZoneId.of("Europe/Paris"));
    final SmsReplies replies = new SmsReplies(TEXTS, 1);

    @Test
    void aShortReplyIsOneUnnumberedMessage() {
        assertThat(replies.parts("Votre rendez-vous est confirmé.", "fr")).containsExactly("Votre rendez-vous est confirmé.");
    }

    @Test
    void aLongReplyIsSplitAtWordsIntoNumberedPartsThatEachFitOneSegment() {
        String text = "Votre rendez-vous à la préfecture est confirmé pour le mardi dix mars à dix heures. "
                .repeat(6) + "Répondez ANNULER pour l'annuler.";
        List<String> parts = replies.parts(text, "fr");
        assertThat(parts).hasSizeGreaterThan(2);
        String words = String.join(" ", parts.stream().map(p -> p.replaceFirst("^\\(\\d+/\\d+\\) ", "")).toList());
        assertThat(words.split("\\s+")).containsExactly(text.strip().split("\\s+"));
        for (int i = 0; i < parts.size(); i++) {
            assertThat(parts.get(i)).startsWith("(" + (i + 1) + "/" + parts.size() + ") ");
            assertThat(SmsSegments.of(parts.get(i)).segments()).isEqualTo(1);
        }
    }

    @Test
    void aMenuIsSplitBetweenItsLinesSoThatNoChoiceIsSpreadOverTwoTexts() {
        String menu = "Pour quelle démarche ?\n" + String.join("\n", java.util.stream.IntStream.rangeClosed(1, 9)
                .mapToObj(n -> n + " Régularisation par le travail, demande " + n).toList());
        List<String> parts = replies.parts(menu, "fr");
        assertThat(parts).hasSizeGreaterThan(2).allMatch(p -> SmsSegments.of(p).segments() == 1);
        List<String> bodies = parts.stream().map(p -> p.replaceFirst("^\\(\\d+/\\d+\\) ", "")).toList();
        // Each part is made of whole lines of the menu, in order.
        assertThat(String.join("\n", bodies)).isEqualTo(menu);
        assertThat(bodies).allMatch(body -> menu.startsWith(body + "\n") || menu.contains("\n" + body + "\n") || menu.endsWith("\n" + body));
    }

    @Test
    void whenWholeLinesWouldCostAnExtraTextTheReplyIsSplitAtSpacesInstead() {
        String line = "Votre rendez-vous est le mardi dix mars à dix heures, à la préfecture de l'Isère, Grenoble.";
        String text = String.join("\n", line, line, line);
        List<String> parts = replies.parts(text, "fr");
        // Each line takes more than half a part: one per text would need three, at spaces two are enough.
        assertThat(parts).hasSize(2).allMatch(p -> SmsSegments.of(p).segments() == 1);
        String words = String.join(" ", parts.stream().map(p -> p.replaceFirst("^\\(\\d+/\\d+\\) ", "")).toList());
        assertThat(words.split("\\s+")).containsExactly(text.split("\\s+"));
    }

    @Test
    void aLineTooLongForAPartOfItsOwnStartsInThePartBefore() {
        String text = "Bonjour.\n" + "Votre rendez-vous à la préfecture est confirmé pour le mardi dix mars. ".repeat(4).strip();
        List<String> parts = replies.parts(text, "fr");
        assertThat(parts.getFirst()).startsWith("(1/").contains("Bonjour.\nVotre rendez-vous");
        assertThat(parts).allMatch(p -> SmsSegments.of(p).segments() == 1);
    }

    @Test
    void arabicRepliesAreSplitWithinTheUcs2Budget() {
        String text = "تم تسجيل طلبك. ستصلك الإجابة برسالة نصية خلال بضع دقائق. ".repeat(4);
        List<String> parts = replies.parts(text, "ar");
        assertThat(parts).hasSizeGreaterThan(1);
        assertThat(parts).allMatch(p -> SmsSegments.of(p).segments() == 1);
        String words = String.join(" ", parts.stream().map(p -> p.substring(p.indexOf(") ") + 2)).toList());
        assertThat(words.split("\\s+")).containsExactly(text.strip().split("\\s+"));
    }

    @Test
    void aWordLongerThanAPartIsTheOnlyThingEverCut() {
        String text = "début " + "x".repeat(400) + " fin";
        List<String> parts = replies.parts(text, "fr");
        assertThat(parts).allMatch(p -> SmsSegments.of(p).segments() == 1);
        assertThat(String.join("", parts.stream().map(p -> p.replaceFirst("^\\(\\d+/\\d+\\) ", "")).toList()).replace(" ", ""))
                .isEqualTo(text.replace(" ", ""));
        assertThat(parts.getFirst()).endsWith("début");
    }

    @Test
    void emojisAreNeverCutInHalf() {
        String text = "🙂".repeat(200);
        List<String> parts = replies.parts(text, "fr");
        assertThat(parts).allMatch(p -> !Character.isHighSurrogate(p.charAt(p.length() - 1)));
        assertThat(parts).allMatch(p -> SmsSegments.of(p).segments() == 1);
    }

    @Test
    void twimlEscapesWhatThePersonWrote() {
        String xml = replies.twiml(List.of("<b>&\"'</b>"));
        assertThat(xml).contains("<Message>&lt;b&gt;&amp;").doesNotContain("<b>");
        assertThat(replies.twiml(List.of())).isEqualTo(SmsReplies.EMPTY);
    }
}
