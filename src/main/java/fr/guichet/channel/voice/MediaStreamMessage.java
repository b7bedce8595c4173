package fr.guichet.channel.voice;

import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * One JSON text frame of Twilio Media Streams (docs/twilio.md §3.1): {@code connected}, {@code start} (with the
 * stream's custom parameters), {@code media} (base64 mu-law), {@code dtmf}, {@code mark}, {@code stop}.
 */
sealed interface MediaStreamMessage {
    record Connected() implements MediaStreamMessage {}

    record Start(String streamSid, String callSid, Map<String, String> parameters) implements MediaStreamMessage {}

    record Media(String track, long timestampMs, byte[] mulaw) implements MediaStreamMessage {}

    record Stop(String streamSid) implements MediaStreamMessage {}

    /** Events this service does not act on (dtmf, mark, and any new ones). */
    record Other(String event) implements MediaStreamMessage {}

    /** A frame that is not a Media Streams message. */
    final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    ObjectMapper JSON = JsonMapper.builder().build();
    /** 20 ms frames are 160 bytes; a few seconds of batched audio is still far below this. */
    int MAX_PAYLOAD_BYTES = 64 * 1024;

    static MediaStreamMessage parse(String frame) {
        JsonNode root;
        try {
            root = JSON.readTree(frame);
        } catch (JacksonException e) {
            throw new Malformed("not JSON");
        }
        if (root == null || !root.isObject() || !root.path("event").isString()) throw new Malformed("no event");
        String event = root.path("event").asString();
        return switch (event) {
            case "connected" -> new Connected();
            case "start" -> {
                JsonNode start = root.path("start");
                Map<String, String> parameters = new HashMap<>();
                start.path("customParameters").properties().forEach(e -> {
                    if (e.getValue().isValueNode()) parameters.put(e.getKey(), e.getValue().asString());
                });
                String callSid = start.path("callSid").asString("");
                if (callSid.isEmpty()) throw new Malformed("start without callSid");
                yield new Start(start.path("streamSid").asString(root.path("streamSid").asString("")), callSid, parameters);
            }
            case "media" -> {
                JsonNode media = root.path("media");
                String payload = media.path("payload").asString("");
                if (payload.length() > MAX_PAYLOAD_BYTES * 4 / 3 + 4) throw new Malformed("media payload too large");
                byte[] audio;
                try {
                    audio = Base64.getDecoder().decode(payload);
                } catch (IllegalArgumentException e) {
                    throw new Malformed("media payload is not base64");
                }
                long timestamp;
                try {
                    // Twilio sends numbers in strings here ("timestamp":"40").
                    timestamp = Long.parseLong(media.path("timestamp").asString("0"));
                } catch (NumberFormatException e) {
                    timestamp = -1;
                }
                yield new Media(media.path("track").asString("inbound"), timestamp, audio);
            }
            case "stop" -> new Stop(root.path("streamSid").asString(""));
            default -> new Other(event);
        };
    }
}
