package fr.guichet.booking.rdvsp;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The calls this adapter makes to RDV Service Public (the shapes of docs/backends.md), over the JDK HTTP client:
 * every failure becomes a {@link RdvspException} of a known kind, every call is reported to {@link BackendStatus}.
 * While a 429's {@code Retry-After} runs, no call is made at all.
 */
final class RdvspClient {
    static final String API_KEY_HEADER = "X-VISIOPLAINTE-API-KEY";
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(60);
    private static final DateTimeFormatter RAILS_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xx");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A free time at the backend. */
    record Creneau(Instant start, int durationMinutes) {}

    /** An appointment at the backend. */
    record Rdv(long id, Instant start, int durationMinutes, String status, Long userId) {}

    /** A user to create; {@code responsibleId} links someone booked by a worker to the worker's user. */
    record NewUser(long organisationId, String firstName, String lastName, String phoneNumber, boolean notifyBySms,
                   LocalDate birthDate, Long responsibleId) {}

    private final HttpClient http;
    private final RdvspProperties properties;
    private final String base;
    private final BackendStatus status;
    private final ZoneId zone;

    RdvspClient(HttpClient http, RdvspProperties properties, BackendStatus status, ZoneId zone) {
        this.http = http;
        this.properties = properties;
        String url = properties.baseUrl().toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.status = status;
        this.zone = zone;
    }

    List<Creneau> creneaux(RdvspMapping.Target target, LocalDate from, LocalDate to) {
        JsonNode body = get(booking("/creneaux", target, Map.of("date_debut", from.toString(), "date_fin", to.toString())));
        List<Creneau> out = new ArrayList<>();
        for (JsonNode c : body.path("creneaux")) out.add(creneau(c));
        return out;
    }

    /** The first free time from that day on (the backend looks 60 days ahead); empty on its 404. */
    Optional<Creneau> prochain(RdvspMapping.Target target, LocalDate from) {
        try {
            return Optional.of(creneau(get(booking("/creneaux/prochain", target, Map.of("date_debut", from.toString())))));
        } catch (RdvspException e) {
            if (e.kind() == RdvspException.Kind.NOT_FOUND) return Optional.empty();
            throw e;
        }
    }

    long createUser(NewUser user) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("organisation_ids", List.of(user.organisationId()));
        body.put("first_name", user.firstName());
        body.put("last_name", user.lastName());
        if (user.phoneNumber() != null) body.put("phone_number", user.phoneNumber());
        body.put("notify_by_sms", user.notifyBySms());
        if (user.birthDate() != null) body.put("birth_date", user.birthDate().toString());
        if (user.responsibleId() != null) body.put("responsible_id", user.responsibleId());
        JsonNode answer = send(request(base + properties.usersPath()).POST(json(body)), "POST users");
        JsonNode id = answer.path("user").path("id");
        if (!id.isNumber()) throw new RdvspException(RdvspException.Kind.UNREADABLE, 200, "no user id", null);
        return id.asLong();
    }

    /** Books the slot; a 422 ("no slot at this date") is {@link RdvspException.Kind#SLOT_GONE}. */
    Rdv book(RdvspMapping.Target target, Instant start, long userId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("starts_at", start.atZone(zone).toOffsetDateTime().toString());
        body.put("user_id", userId);
        body.put("organisation_id", target.organisationId());
        body.put("lieu_id", target.lieuId());
        body.put("motif_id", target.motifId());
        try {
            return rdv(send(request(base + properties.bookingPath() + "/rdvs").POST(json(body)), "POST rdvs"));
        } catch (RdvspException e) {
            if (e.status() == 422) throw new RdvspException(RdvspException.Kind.SLOT_GONE, 422, e.getMessage(), null);
            throw e;
        }
    }

    Rdv cancel(long rdvId) {
        return rdv(send(request(base + properties.bookingPath() + "/rdvs/" + rdvId + "/cancel")
                .PUT(HttpRequest.BodyPublishers.noBody()), "PUT rdvs/cancel"));
    }

    List<Rdv> rdvsByIds(List<Long> ids) {
        StringJoiner query = new StringJoiner("&");
        for (Long id : ids) query.add(encode("ids[]") + "=" + id);
        return rdvs(get(base + properties.bookingPath() + "/rdvs?" + query));
    }

    /** Appointments starting on those days (both included): how a booking whose answer was lost is found. */
    List<Rdv> rdvsBetween(LocalDate from, LocalDate to) {
        return rdvs(get(base + properties.bookingPath() + "/rdvs?date_debut=" + from + "&date_fin=" + to));
    }

    private List<Rdv> rdvs(JsonNode body) {
        List<Rdv> out = new ArrayList<>();
        for (JsonNode r : body.path("rdvs")) out.add(rdv(r));
        return out;
    }

    private String booking(String path, RdvspMapping.Target target, Map<String, String> params) {
        StringJoiner query = new StringJoiner("&");
        params.forEach((k, v) -> query.add(encode(k) + "=" + encode(v)));
        query.add("organisation_id=" + target.organisationId());
        query.add("lieu_id=" + target.lieuId());
        query.add("motif_id=" + target.motifId());
        return base + properties.bookingPath() + path + "?" + query;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private JsonNode get(String url) {
        return send(request(url).GET(), "GET " + URI.create(url).getPath().replace(properties.bookingPath(), ""));
    }

    private HttpRequest.Builder request(String url) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                .timeout(properties.timeout())
                .header("Accept", "application/json")
                .header("Content-Type", "application/json");
        if (properties.apiKey() != null && !properties.apiKey().isBlank()) builder.header(API_KEY_HEADER, properties.apiKey().strip());
        if (properties.bearerToken() != null && !properties.bearerToken().isBlank()) {
            builder.header("Authorization", "Bearer " + properties.bearerToken().strip());
        }
        return builder;
    }

    private static HttpRequest.BodyPublisher json(Map<String, Object> body) {
        return HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8);
    }

    /** {@code call} names the call for logs and the staff view: method and path, never a value. */
    private JsonNode send(HttpRequest.Builder builder, String call) {
        status.checkNotRateLimited();
        HttpResponse<String> response;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw status.failed(call, new RdvspException(RdvspException.Kind.UNREACHABLE, 0, e.getClass().getSimpleName(), null));
        } catch (HttpTimeoutException e) {
            throw status.failed(call, new RdvspException(RdvspException.Kind.TIMEOUT, 0, "no answer within " + properties.timeout(), null));
        } catch (IOException e) {
            // A connection dropped mid-answer: as for a timeout, the request may have been carried out.
            throw status.failed(call, new RdvspException(RdvspException.Kind.TIMEOUT, 0, e.getClass().getSimpleName(), null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RdvspException(RdvspException.Kind.UNREACHABLE, 0, "interrupted", null);
        }
        int code = response.statusCode();
        if (code >= 200 && code < 300) {
            status.succeeded();
            if (code == 204 || response.body() == null || response.body().isBlank()) return JSON.createObjectNode();
            try {
                return JSON.readTree(response.body());
            } catch (RuntimeException e) {
                throw status.failed(call, new RdvspException(RdvspException.Kind.UNREADABLE, code, "not JSON", null));
            }
        }
        String errors = errors(response.body());
        RdvspException failure = switch (code) {
            case 401 -> new RdvspException(RdvspException.Kind.UNAUTHORIZED, code, errors, null);
            case 429 -> new RdvspException(RdvspException.Kind.RATE_LIMITED, code, errors,
                    retryAfter(response.headers().firstValue("Retry-After").orElse(null)));
            case 404 -> new RdvspException(RdvspException.Kind.NOT_FOUND, code, errors, null);
            default -> code >= 500
                    ? new RdvspException(RdvspException.Kind.SERVER_ERROR, code, errors, null)
                    : new RdvspException(RdvspException.Kind.REFUSED, code, errors, null);
        };
        if (failure.kind() == RdvspException.Kind.NOT_FOUND || failure.kind() == RdvspException.Kind.REFUSED) {
            // An answer about this request, not a sign of an outage.
            status.succeeded();
            throw failure;
        }
        throw status.failed(call, failure);
    }

    /** The backend's {@code errors} sentences (validation messages name fields, not values), cut short. */
    private static String errors(String body) {
        if (body == null || body.isBlank()) return "";
        try {
            JsonNode errors = JSON.readTree(body).path("errors");
            String text = errors.isArray() ? String.join("; ", errors.valueStream().map(JsonNode::asString).toList())
                    : errors.isObject() ? String.join(", ", errors.propertyNames()) : "";
            return text.length() > 200 ? text.substring(0, 200) : text;
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** {@code Retry-After}: seconds or an HTTP date; a minute when absent or unreadable. */
    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) return DEFAULT_RETRY_AFTER;
        try {
            long seconds = Long.parseLong(header.strip());
            return seconds >= 0 ? Duration.ofSeconds(Math.min(seconds, 86_400)) : DEFAULT_RETRY_AFTER;
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(Instant.now(), ZonedDateTime.parse(header.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notDate) {
                return DEFAULT_RETRY_AFTER;
            }
        }
    }

    private static Creneau creneau(JsonNode c) {
        Instant start = time(c.path("starts_at").asString(null));
        int duration = c.path("duration_in_min").asInt(0);
        if (start == null || duration <= 0) throw new RdvspException(RdvspException.Kind.UNREADABLE, 200, "creneau without a start or duration", null);
        return new Creneau(start, duration);
    }

    private static Rdv rdv(JsonNode r) {
        Instant start = time(r.path("starts_at").asString(null));
        if (!r.path("id").isNumber() || start == null) throw new RdvspException(RdvspException.Kind.UNREADABLE, 200, "rdv without id or start", null);
        JsonNode user = r.path("user_id");
        return new Rdv(r.path("id").asLong(), start, r.path("duration_in_min").asInt(0), r.path("status").asString("unknown"),
                user.isNumber() ? user.asLong() : null);
    }

    /** The backend writes times two ways: ISO 8601 in slot lists, {@code 2024-08-19 08:00:00 +0200} in rdvs. */
    static Instant time(String text) {
        if (text == null || text.isBlank()) return null;
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notIso) {
            try {
                return OffsetDateTime.parse(text, RAILS_TIME).toInstant();
            } catch (DateTimeParseException neither) {
                return null;
            }
        }
    }

    /** Reads an rdv from a webhook's {@code data}. */
    static Optional<Rdv> rdvOf(JsonNode data) {
        try {
            return Optional.of(rdv(data));
        } catch (RdvspException e) {
            return Optional.empty();
        }
    }
}
