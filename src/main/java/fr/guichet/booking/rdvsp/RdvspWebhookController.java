package fr.guichet.booking.rdvsp;

import fr.guichet.booking.BookingBackend;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * RDV Service Public's webhook deliveries ({@code POST /api/v1/backends/rdv-service-public/webhook}). Not under
 * {@code /twilio/}: the Twilio signature filter does not see it; its own signature is {@code X-Lapin-Signature}.
 * 2xx tells the backend the delivery is taken (it retries otherwise), so an rdv Guichet does not know is still 200.
 */
@RestController
@ConditionalOnProperty(name = BookingBackend.PROPERTY, havingValue = BookingBackend.RDV_SERVICE_PUBLIC)
@Tag(name = "Outside backends", description = "Deliveries from an outside booking backend")
class RdvspWebhookController {
    static final String PATH = "/api/v1/backends/rdv-service-public/webhook";
    private static final Logger log = LoggerFactory.getLogger(RdvspWebhookController.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final WebhookSignature signature;
    private final RdvspWebhooks webhooks;

    RdvspWebhookController(WebhookSignature signature, RdvspWebhooks webhooks) {
        this.signature = signature;
        this.webhooks = webhooks;
    }

    @Operation(summary = "An rdv created, updated or destroyed at RDV Service Public",
            description = "Body as the backend sends it: {\"data\":{…rdv…},\"meta\":{\"model\":\"Rdv\",\"event\":\"updated\"}}. "
                    + "A cancellation or a move of an appointment booked through Guichet updates it here and texts the person.")
    @ApiResponse(responseCode = "200", description = "Taken: {result: applied, unchanged, not-ours or ignored}")
    @ApiResponse(responseCode = "400", description = "Not JSON", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "401", description = "X-Lapin-Signature missing or wrong", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "403", description = "No APP_RDVSP_WEBHOOK_SECRET configured: webhooks refused", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @PostMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> deliver(
            @Parameter(description = "hex HMAC-SHA256 of the raw body with the shared secret")
            @RequestHeader(name = WebhookSignature.HEADER, required = false) String given,
            @RequestBody(required = false) byte[] body) {
        byte[] raw = body == null ? new byte[0] : body;
        if (!signature.configured()) {
            return problem(HttpStatus.FORBIDDEN, "webhooks-closed", "No webhook secret is configured: deliveries are refused.");
        }
        if (given == null || given.isBlank()) {
            return problem(HttpStatus.UNAUTHORIZED, "signature-missing", "X-Lapin-Signature is needed.");
        }
        if (!signature.matches(raw, given)) {
            log.warn("RDV Service Public webhook with a wrong signature refused");
            return problem(HttpStatus.UNAUTHORIZED, "signature-refused", "X-Lapin-Signature does not match the body.");
        }
        JsonNode payload;
        try {
            payload = JSON.readTree(raw);
        } catch (RuntimeException e) {
            return problem(HttpStatus.BAD_REQUEST, "malformed-body", "The body is not valid JSON.");
        }
        if (payload == null || !payload.isObject()) {
            return problem(HttpStatus.BAD_REQUEST, "malformed-body", "The body is not a JSON object.");
        }
        RdvspWebhooks.Result result = webhooks.apply(payload);
        return ResponseEntity.ok(Map.of("result", result.name().toLowerCase(Locale.ROOT).replace('_', '-')));
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String code, String detail) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setProperty("code", code);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }
}
