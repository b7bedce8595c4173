package fr.guichet;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.NodeList;

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

    /** The texts of a TwiML SMS answer, one per {@code <Message>}, in order (read as XML: entities decoded). */
    public static List<String> messages(String twiml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            NodeList nodes = factory.newDocumentBuilder().parse(new ByteArrayInputStream(twiml.getBytes(StandardCharsets.UTF_8)))
                    .getElementsByTagName("Message");
            List<String> out = new ArrayList<>();
            for (int i = 0; i < nodes.getLength(); i++) out.add(nodes.item(i).getTextContent());
            return out;
        } catch (Exception e) {
            throw new AssertionError("Not TwiML: " + twiml, e);
        }
    }

    /** The parts of one reply put back together, one per line, without their "(1/2) " numbering. */
    public static String rejoined(List<String> parts) {
        return String.join("\n", parts.stream().map(m -> m.replaceFirst("^\\(\\d+/\\d+\\) ", "")).toList());
    }

    public static Map<String, String> sms(String sid, String from, String body) {
        return Map.of("MessageSid", sid, "SmsSid", sid, "AccountSid", "ACtest", "From", from, "To", "+33757000000",
                "Body", body, "FromCountry", "FR", "NumMedia", "0", "ApiVersion", "2010-04-01");
    }
}
