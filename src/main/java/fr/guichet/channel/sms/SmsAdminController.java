package fr.guichet.channel.sms;

import fr.guichet.notify.SmsNumbers;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Staff view of numbers the service will not text: opted out, or unable to receive texts (landline, invalid,
 * unknown handset). Behind the staff token (fr.guichet.staff).
 */
@RestController
class SmsAdminController {
    record NumberView(String phone, String masked, boolean optedOut, Instant optedOutAt, boolean smsCapable,
                      Integer lastErrorCode, Instant updatedAt) {}

    private final SmsNumbers numbers;

    SmsAdminController(SmsNumbers numbers) {
        this.numbers = numbers;
    }

    @GetMapping("/api/v1/admin/sms/numbers")
    List<NumberView> flaggedNumbers(@RequestParam(defaultValue = "200") int limit) {
        return numbers.flagged(Math.clamp(limit, 1, 1000)).stream()
                .map(f -> new NumberView(f.phone().e164(), f.phone().masked(), f.optedOut(), f.optedOutAt(), f.smsCapable(),
                        f.lastErrorCode(), f.updatedAt()))
                .toList();
    }
}
