package fr.guichet;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/** Real HTTP calls to the running service, signed like Twilio's. */
public final class Webhooks {
    public static final String PUBLIC_BASE = "https://guichet.example.org";
    public static final String TOKEN = "test-auth-token";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;

    public Webhooks(int port) {
        this.port = port;
    }

    public HttpResponse<String> post(String pathAndQuery, Map<String, String> params) {
        return post(pathAndQuery, params, TwilioSigner.sign(TOKEN, PUBLIC_BASE + pathAndQuery, params));
    }

    public HttpResponse<String> post(String pathAndQuery, Map<String, String> params, String signature) {
        String form = params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (signature != null) request.header("X-Twilio-Signature", signature);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> get(String path, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET();
        if (bearer != null) request.header("Authorization", "Bearer " + bearer);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Map<String, String> sms(String sid, String from, String body) {
        return Map.of("MessageSid", sid, "SmsSid", sid, "AccountSid", "ACtest", "From", from, "To", "+33757000000",
                "Body", body, "FromCountry", "FR", "NumMedia", "0", "ApiVersion", "2010-04-01");
    }
}
