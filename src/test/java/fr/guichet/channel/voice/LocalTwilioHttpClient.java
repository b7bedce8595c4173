package fr.guichet.channel.voice;

import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import java.net.URL;

/**
 * Sends the SDK's {@code https://api.twilio.com/…} requests to WireMock (docs/twilio.md §8.3). Test-only: the
 * service's own Twilio REST client (with TWILIO_API_BASE_URL) is built on the SMS branch; once it is on main the
 * tests use that one instead.
 */
final class LocalTwilioHttpClient extends NetworkHttpClient {
    private final String base;

    LocalTwilioHttpClient(String base) {
        this.base = base;
    }

    @Override
    public Response makeRequest(Request original) {
        URL real = original.constructURL();
        Request moved = new Request(original.getMethod(), base + real.getPath());
        original.getQueryParams().forEach((k, vs) -> vs.forEach(v -> moved.addQueryParam(k, v)));
        original.getPostParams().forEach((k, vs) -> vs.forEach(v -> moved.addPostParam(k, v)));
        original.getHeaderParams().forEach((k, vs) -> vs.forEach(v -> moved.addHeaderParam(k, v)));
        if (original.getContentType() != null) moved.setContentType(original.getContentType());
        if (original.getBody() != null) moved.setBody(original.getBody());
        if (original.getFormParameters() != null && !original.getFormParameters().isEmpty()) moved.setFormParameters(original.getFormParameters());
        if (original.getUsername() != null) moved.setAuth(original.getUsername(), original.getPassword());
        else if (original.getAuthStrategy() != null) moved.setAuth(original.getAuthStrategy());
        moved.setUserAgentExtensions(original.getUserAgentExtensions());
        return super.makeRequest(moved);
    }
}
