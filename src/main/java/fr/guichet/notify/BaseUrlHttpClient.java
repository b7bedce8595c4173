package fr.guichet.notify;

import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * Sends the SDK's {@code https://api.twilio.com/…} requests to the configured base URL (twilio.md §8.3, recipe A,
 * checked against SDK 13.0.1). The SDK's own retry of 5xx is switched off: a retried POST after a 5xx may create a
 * second message, and the outbox already retries with backoff and knows which attempt it is on.
 */
final class BaseUrlHttpClient extends NetworkHttpClient {
    private static final String TWILIO_API_HOST = "api.twilio.com";
    private final String base;

    BaseUrlHttpClient(URI base, Duration connectTimeout, Duration readTimeout) {
        super(RequestConfig.custom()
                        .setConnectionRequestTimeout(Timeout.of(connectTimeout))
                        .setConnectTimeout(Timeout.of(connectTimeout))
                        .setResponseTimeout(Timeout.of(readTimeout))
                        .build(),
                SocketConfig.custom().setSoTimeout(Timeout.of(readTimeout)).build());
        String text = base.toString();
        this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    @Override
    public Response reliableRequest(Request request) {
        return makeRequest(request);
    }

    @Override
    public Response reliableRequest(Request request, int[] retryCodes, int retries, long delayMillis) {
        return makeRequest(request);
    }

    @Override
    public Response makeRequest(Request original) {
        URL real = original.constructURL();
        if (!TWILIO_API_HOST.equals(real.getHost()) || base.equals("https://" + TWILIO_API_HOST)) {
            return super.makeRequest(original);
        }
        Request moved = new Request(original.getMethod(), base + real.getPath());
        original.getQueryParams().forEach((k, vs) -> vs.forEach(v -> moved.addQueryParam(k, v)));
        original.getPostParams().forEach((k, vs) -> vs.forEach(v -> moved.addPostParam(k, v)));
        original.getHeaderParams().forEach((k, vs) -> vs.forEach(v -> moved.addHeaderParam(k, v)));
        if (original.getContentType() != null) moved.setContentType(original.getContentType());
        if (original.getBody() != null) moved.setBody(original.getBody());
        if (original.getFormParameters() != null && !original.getFormParameters().isEmpty()) {
            moved.setFormParameters(original.getFormParameters());
        }
        if (original.getUsername() != null) moved.setAuth(original.getUsername(), original.getPassword());
        else if (original.getAuthStrategy() != null) moved.setAuth(original.getAuthStrategy());
        moved.setUserAgentExtensions(original.getUserAgentExtensions());
        return super.makeRequest(moved);
    }
}
