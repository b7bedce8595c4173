package fr.guichet.booking.web;

import fr.guichet.booking.Applicant;
import fr.guichet.language.Languages;
import fr.guichet.language.LanguageProfile;
import fr.guichet.phone.InvalidPhoneNumberException;
import fr.guichet.phone.PhoneNumber;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;

/**
 * Checks of what a client sends, collected into one 422 with every field at fault. Text is kept as written (any
 * script); only what PostgreSQL or a text message cannot carry is refused (control characters, absurd lengths).
 */
final class ApplicantInput {
    static final int MAX_NAME_LENGTH = 200;
    private static final LocalDate EARLIEST_BIRTH = LocalDate.of(1900, 1, 1);

    private final List<ApiProblem.FieldError> errors = new ArrayList<>();

    void error(String field, String message) {
        errors.add(new ApiProblem.FieldError(field, message));
    }

    void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-request", "The request has invalid fields.", errors);
        }
    }

    /** The applicant, or null with errors recorded. {@code prefix} names the object in field errors. */
    Applicant applicant(BookingApi.ApplicantBody body, String prefix, Languages languages, LocalDate today) {
        if (body == null) {
            error(prefix, "is required");
            return null;
        }
        String name = name(body.name(), prefix + ".name");
        LocalDate birthDate = body.birthDate();
        if (birthDate == null) error(prefix + ".birthDate", "is required (YYYY-MM-DD)");
        else if (!birthDate.isBefore(today) || birthDate.isBefore(EARLIEST_BIRTH)) {
            error(prefix + ".birthDate", "must be a past date after 1900-01-01");
        }
        PhoneNumber phone = phone(body.phone(), prefix + ".phone");
        String language = language(body.language(), prefix + ".language", languages);
        if (name == null || birthDate == null || phone == null || language == null || !errors.isEmpty()) return null;
        return new Applicant(name, birthDate, phone, language);
    }

    String name(String raw, String field) {
        if (raw == null || raw.isBlank()) {
            error(field, "is required");
            return null;
        }
        String name = raw.strip();
        if (name.codePointCount(0, name.length()) > MAX_NAME_LENGTH) {
            error(field, "must be at most " + MAX_NAME_LENGTH + " characters");
            return null;
        }
        if (name.codePoints().anyMatch(cp -> Character.getType(cp) == Character.CONTROL
                || Character.getType(cp) == Character.SURROGATE || Character.getType(cp) == Character.UNASSIGNED)) {
            error(field, "must not contain control characters");
            return null;
        }
        return name;
    }

    PhoneNumber phone(String raw, String field) {
        if (raw == null || raw.isBlank()) {
            error(field, "is required");
            return null;
        }
        try {
            return PhoneNumber.parse(raw);
        } catch (InvalidPhoneNumberException e) {
            error(field, "is not a valid phone number (" + e.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")");
            return null;
        }
    }

    /** A language offered in locales/, matched without regard to case ({@code fa-af} is {@code fa-AF}). */
    String language(String raw, String field, Languages languages) {
        if (raw == null || raw.isBlank()) {
            error(field, "is required");
            return null;
        }
        Optional<String> tag = languages.offered().stream().map(LanguageProfile::tag)
                .filter(t -> t.equalsIgnoreCase(raw.strip())).findFirst();
        if (tag.isEmpty()) {
            error(field, "must be one of " + languages.offered().stream().map(LanguageProfile::tag).toList());
            return null;
        }
        return tag.get();
    }
}
