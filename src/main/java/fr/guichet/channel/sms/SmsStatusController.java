package fr.guichet.channel.sms;

import fr.guichet.notify.DeliveryReports;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /twilio/sms/status}: Twilio's delivery reports for texts the outbox sent (signature checked by the filter). */
@RestController
class SmsStatusController {
    private final DeliveryReports reports;

    SmsStatusController(DeliveryReports reports) {
        this.reports = reports;
    }

    @PostMapping("/twilio/sms/status")
    ResponseEntity<Void> status(@RequestParam Map<String, String> params) {
        String status = params.getOrDefault("MessageStatus", params.get("SmsStatus"));
        reports.record(params.get("MessageSid"), status, integerOrNull(params.get("ErrorCode")),
                longOrNull(params.get("outbox")), integerOrNull(params.get("attempt")));
        return ResponseEntity.noContent().build();
    }

    private static Integer integerOrNull(String raw) {
        try {
            return raw == null || raw.isBlank() ? null : Integer.valueOf(raw.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long longOrNull(String raw) {
        try {
            return raw == null || raw.isBlank() ? null : Long.valueOf(raw.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
