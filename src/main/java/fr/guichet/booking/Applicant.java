package fr.guichet.booking;

import fr.guichet.phone.PhoneNumber;
import java.time.LocalDate;
import java.util.Objects;

/**
 * The person the appointment is for. {@code phone} is null when a social worker books for someone with no phone.
 * {@code language} is a tag of a language offered in {@code locales/} (e.g. {@code fr}, {@code ar}, {@code fa-AF}).
 */
public record Applicant(String name, LocalDate birthDate, PhoneNumber phone, String language) {
    public Applicant {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(birthDate, "birthDate");
        Objects.requireNonNull(language, "language");
    }

    /** Initials for texts to a social worker ("M. B."), never the full name. */
    public String initials() {
        StringBuilder out = new StringBuilder();
        for (String part : name.strip().split("\\s+")) {
            if (!part.isEmpty()) out.append(part.codePoints().limit(1).collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)).append(". ");
        }
        return out.toString().strip();
    }

    /** No name or birth date in clear if this ever reaches a log line; the phone number masks itself. */
    @Override
    public String toString() {
        return "Applicant[phone=" + phone + ", language=" + language + "]";
    }
}
