package fr.guichet.channel.voice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class MediaStreamMessageTest {
    @Test
    void readsTheFramesTwilioSends() {
        assertThat(MediaStreamMessage.parse("{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}"))
                .isInstanceOf(MediaStreamMessage.Connected.class);

        MediaStreamMessage start = MediaStreamMessage.parse("""
                {"event":"start","sequenceNumber":"1","streamSid":"MZ1",
                 "start":{"streamSid":"MZ1","accountSid":"AC1","callSid":"CA1","tracks":["inbound"],
                          "customParameters":{"callSid":"CA1","promptId":"p4","language":"en"},
                          "mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1}}}""");
        assertThat(start).isEqualTo(new MediaStreamMessage.Start("MZ1", "CA1",
                java.util.Map.of("callSid", "CA1", "promptId", "p4", "language", "en")));

        byte[] frame = new byte[160];
        for (int i = 0; i < frame.length; i++) frame[i] = (byte) (0xFF - i);
        MediaStreamMessage media = MediaStreamMessage.parse("""
                {"event":"media","sequenceNumber":"3","streamSid":"MZ1",
                 "media":{"track":"inbound","chunk":"2","timestamp":"40","payload":"%s"}}""".formatted(Base64.getEncoder().encodeToString(frame)));
        assertThat(media).isInstanceOfSatisfying(MediaStreamMessage.Media.class, m -> {
            assertThat(m.track()).isEqualTo("inbound");
            assertThat(m.timestampMs()).isEqualTo(40);
            assertThat(m.mulaw()).isEqualTo(frame);
        });

        assertThat(MediaStreamMessage.parse("{\"event\":\"stop\",\"streamSid\":\"MZ1\",\"stop\":{\"callSid\":\"CA1\"}}"))
                .isEqualTo(new MediaStreamMessage.Stop("MZ1"));
        assertThat(MediaStreamMessage.parse("{\"event\":\"mark\",\"mark\":{\"name\":\"x\"}}")).isEqualTo(new MediaStreamMessage.Other("mark"));
    }

    @Test
    void refusesWhatIsNotAMediaStreamsFrame() {
        assertThatThrownBy(() -> MediaStreamMessage.parse("not json")).isInstanceOf(MediaStreamMessage.Malformed.class);
        assertThatThrownBy(() -> MediaStreamMessage.parse("[1,2]")).isInstanceOf(MediaStreamMessage.Malformed.class);
        assertThatThrownBy(() -> MediaStreamMessage.parse("{\"event\":\"start\",\"start\":{}}")).hasMessageContaining("callSid");
        assertThatThrownBy(() -> MediaStreamMessage.parse("{\"event\":\"media\",\"media\":{\"payload\":\"@@@\"}}"))
                .hasMessageContaining("base64");
        String huge = "A".repeat(200_000);
        assertThatThrownBy(() -> MediaStreamMessage.parse("{\"event\":\"media\",\"media\":{\"payload\":\"" + huge + "\"}}"))
                .hasMessageContaining("too large");
    }
}
