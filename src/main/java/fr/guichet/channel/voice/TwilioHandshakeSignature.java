package fr.guichet.channel.voice;

import com.twilio.security.RequestValidator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Checks {@code X-Twilio-Signature} on the Media Streams upgrade request (docs/twilio.md §4.4): the HTTP filter on
 * {@code /twilio/**} checks POSTs only, and the upgrade is a GET. Twilio signs the URL it was given in
 * {@code <Stream url>} with no parameters; which scheme it signs ({@code wss} or {@code https}) is not documented, so
 * both are accepted. With no auth token, only loopback clients may connect (as for the HTTP webhooks).
 */
final class TwilioHandshakeSignature implements HandshakeInterceptor {
    private static final Logger log = LoggerFactory.getLogger(TwilioHandshakeSignature.class);
    static final String HEADER = "X-Twilio-Signature";

    private final RequestValidator validator;
    private final String streamUrl;

    TwilioHandshakeSignature(String authToken, String streamUrl) {
        this.validator = authToken == null || authToken.isBlank() ? null : new RequestValidator(authToken.strip());
        this.streamUrl = streamUrl;
        if (validator == null) log.warn("Media Streams: no TWILIO_AUTH_TOKEN, /twilio/media accepts loopback clients only");
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            Map<String, Object> attributes) {
        if (validator == null) {
            if (isLoopback(request.getRemoteAddress())) return true;
            response.setStatusCode(HttpStatus.FORBIDDEN);
            return false;
        }
        List<String> signatures = request.getHeaders().getOrEmpty(HEADER);
        String signature = signatures.isEmpty() ? "" : signatures.get(0);
        String query = request.getURI().getRawQuery();
        String signed = streamUrl + (query == null ? "" : "?" + query);
        String asHttps = signed.replaceFirst("^wss://", "https://").replaceFirst("^ws://", "http://");
        if (!signature.isBlank() && (validator.validate(signed, Map.of(), signature) || validator.validate(asHttps, Map.of(), signature))) {
            return true;
        }
        log.warn("Media Streams: handshake with a missing or bad signature refused");
        response.setStatusCode(HttpStatus.FORBIDDEN);
        return false;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler, Exception exception) {
        // Nothing to do: the socket is open or was refused.
    }

    private static boolean isLoopback(InetSocketAddress address) {
        InetAddress ip = address == null ? null : address.getAddress();
        return ip != null && ip.isLoopbackAddress();
    }
}
