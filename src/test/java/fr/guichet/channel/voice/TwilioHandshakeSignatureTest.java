package fr.guichet.channel.voice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** The handshake check, on servlet requests built by hand (the real socket is exercised in VoiceWebhookTest). */
class TwilioHandshakeSignatureTest {
    static final String TOKEN = "test-auth-token";
    static final String URL = "wss://guichet.example.org/twilio/media";

    /** Twilio's algorithm (docs/twilio.md §4.1) for a URL with no POST parameters. */
    static String sign(String url) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(TOKEN.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(url.getBytes(StandardCharsets.UTF_8)));
    }

    static boolean handshake(TwilioHandshakeSignature check, String signature, String remote, MockHttpServletResponse raw) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/twilio/media");
        request.setRemoteAddr(remote);
        if (signature != null) request.addHeader("X-Twilio-Signature", signature);
        return check.beforeHandshake(new ServletServerHttpRequest(request), new ServletServerHttpResponse(raw), null, new HashMap<>());
    }

    @Test
    void aSignatureOverTheStreamUrlOpensTheSocketWhicheverSchemeTwilioSigned() throws Exception {
        TwilioHandshakeSignature check = new TwilioHandshakeSignature(TOKEN, URL);
        assertThat(handshake(check, sign(URL), "203.0.113.9", new MockHttpServletResponse())).isTrue();
        assertThat(handshake(check, sign("https://guichet.example.org/twilio/media"), "203.0.113.9", new MockHttpServletResponse())).isTrue();
    }

    @Test
    void aMissingOrForgedSignatureIsRefusedWith403() throws Exception {
        TwilioHandshakeSignature check = new TwilioHandshakeSignature(TOKEN, URL);
        MockHttpServletResponse missing = new MockHttpServletResponse();
        assertThat(handshake(check, null, "127.0.0.1", missing)).isFalse();
        assertThat(missing.getStatus()).isEqualTo(HttpStatus.FORBIDDEN.value());
        MockHttpServletResponse forged = new MockHttpServletResponse();
        assertThat(handshake(check, sign("wss://evil.example.org/twilio/media"), "203.0.113.9", forged)).isFalse();
        assertThat(forged.getStatus()).isEqualTo(403);
    }

    @Test
    void withoutAnAuthTokenOnlyLoopbackClientsMayConnect() {
        TwilioHandshakeSignature check = new TwilioHandshakeSignature("", URL);
        assertThat(handshake(check, null, "127.0.0.1", new MockHttpServletResponse())).isTrue();
        MockHttpServletResponse outside = new MockHttpServletResponse();
        assertThat(handshake(check, null, "203.0.113.9", outside)).isFalse();
        assertThat(outside.getStatus()).isEqualTo(403);
    }
}
