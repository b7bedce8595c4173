package fr.guichet.channel.sms;

import static org.assertj.core.api.Assertions.assertThat;

import com.twilio.twiml.MessagingResponse;
import com.twilio.twiml.messaging.Message;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TwimlWriterTest {
    static final List<String> BODIES = List.of(
            "Votre rendez-vous est confirmé.",
            "تم تسجيل طلبك. ستصلك الإجابة برسالة نصية",
            "Emoji 🙂 and CJK 你好, tabs\tand\nline breaks",
            "Markup <b>&amp;</b> \"quotes\" 'apostrophes' & ampersands > <",
            "  leading and trailing spaces  ",
            "]]> <![CDATA[ x ]]>",
            "");

    private static MessagingResponse response(String... bodies) {
        MessagingResponse.Builder builder = new MessagingResponse.Builder();
        for (String body : bodies) builder.message(new Message.Builder(body).build());
        return builder.build();
    }

    @Test
    void rendersEveryDocumentExactlyAsTheSdkDoes() throws Exception {
        assertThat(TwimlWriter.reusesMachinery()).as("the SDK's DOM builder is reachable: not the toXml() fallback").isTrue();
        for (String body : BODIES) {
            MessagingResponse response = response(body);
            assertThat(TwimlWriter.toXml(response)).as(body).isEqualTo(response.toXml());
        }
        MessagingResponse several = response(BODIES.toArray(String[]::new));
        assertThat(TwimlWriter.toXml(several)).isEqualTo(several.toXml());
        MessagingResponse none = new MessagingResponse.Builder().build();
        assertThat(TwimlWriter.toXml(none)).isEqualTo(none.toXml());
    }

    @Test
    void aReusedWriterGivesTheSameDocumentEachTimeOnEveryThread() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> runs = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                runs.add(threads.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        MessagingResponse response = response(BODIES.get((i + offset) % BODIES.size()), "(2/2) suite");
                        if (!TwimlWriter.toXml(response).equals(response.toXml())) return false;
                    }
                    return true;
                }));
            }
            for (Future<Boolean> run : runs) assertThat(run.get()).isTrue();
        } finally {
            threads.shutdown();
        }
    }

    @Test
    void repliesAreRenderedThroughTheSdkBuilders() {
        SmsReplies replies = new SmsReplies(SmsRepliesTest.TEXTS, 2);
        assertThat(replies.twiml(List.of("Bonjour & bienvenue", "(2/2) <fin>")))
                .isEqualTo(response("Bonjour & bienvenue", "(2/2) <fin>").toXml());
    }
}
