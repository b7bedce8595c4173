package fr.guichet.channel.voice;

import com.twilio.http.TwilioRestClient;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/** The Media Streams socket at {@code /twilio/media}, signature checked at the handshake. */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class MediaStreamConfiguration implements WebSocketConfigurer, DisposableBean {
    private final ExecutorService background;
    private final MediaStreamHandler handler;
    private final TwilioHandshakeSignature signature;

    MediaStreamConfiguration(ListeningPrompts prompts, ObjectProvider<SpeechGate> speech, ObjectProvider<TwilioRestClient> rest,
            VoiceTwiml twiml, VoiceCalls calls,
            @Value("${twilio.auth-token:${app.twilio.auth-token:}}") String authToken) {
        // REST updates and miss counts leave the socket thread; virtual threads, as they mostly wait on I/O.
        this.background = Executors.newVirtualThreadPerTaskExecutor();
        this.handler = new MediaStreamHandler(prompts, speech.getIfAvailable(() -> SpeechGate.KEYPAD_ONLY),
                new CallMover(rest::getIfAvailable, twiml), calls, background);
        this.signature = new TwilioHandshakeSignature(authToken, twiml.mediaStreamUrl());
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        // Twilio sends no Origin header; the signature is what authenticates the stream.
        registry.addHandler(handler, "/twilio/media").addInterceptors(signature).setAllowedOriginPatterns("*");
    }

    @Override
    public void destroy() {
        background.close();
    }
}
