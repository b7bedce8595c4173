package fr.guichet.phone;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.Phonenumber;
import java.util.Objects;

/**
 * A valid phone number in E.164 form ({@code +33612345678}).
 *
 * <p>{@link #toString()} gives the masked form, so a number that slips into a log line is not in clear;
 * use {@link #e164()} where the real value is needed (database, Twilio).
 */
public record PhoneNumber(String e164) {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    /** French numbers written nationally ({@code 06 12 34 56 78}) are the common case. */
    public static final String DEFAULT_REGION = "FR";
    private static final int MAX_INPUT_LENGTH = 64;

    public PhoneNumber {
        Objects.requireNonNull(e164, "e164");
        if (!e164.matches("\\+[1-9][0-9]{6,14}")) {
            throw new InvalidPhoneNumberException(InvalidPhoneNumberException.Reason.NOT_A_NUMBER);
        }
    }

    /** Parses what a person typed or said: international, national French, {@code 00} prefix, spaces, dots, dashes. */
    public static PhoneNumber parse(String raw) {
        return parse(raw, DEFAULT_REGION);
    }

    public static PhoneNumber parse(String raw, String defaultRegion) {
        if (raw == null || raw.isBlank()) {
            throw new InvalidPhoneNumberException(InvalidPhoneNumberException.Reason.EMPTY);
        }
        if (raw.length() > MAX_INPUT_LENGTH) {
            throw new InvalidPhoneNumberException(InvalidPhoneNumberException.Reason.TOO_LONG);
        }
        String text = normaliseDigits(raw.strip());
        try {
            Phonenumber.PhoneNumber parsed = UTIL.parse(text, defaultRegion);
            if (!UTIL.isValidNumber(parsed)) {
                throw new InvalidPhoneNumberException(switch (UTIL.isPossibleNumberWithReason(parsed)) {
                    case TOO_SHORT, INVALID_LENGTH -> InvalidPhoneNumberException.Reason.TOO_SHORT;
                    case TOO_LONG -> InvalidPhoneNumberException.Reason.TOO_LONG;
                    case INVALID_COUNTRY_CODE -> InvalidPhoneNumberException.Reason.UNKNOWN_COUNTRY;
                    default -> InvalidPhoneNumberException.Reason.NOT_VALID;
                });
            }
            return new PhoneNumber(UTIL.format(parsed, PhoneNumberFormat.E164));
        } catch (NumberParseException e) {
            throw new InvalidPhoneNumberException(switch (e.getErrorType()) {
                case INVALID_COUNTRY_CODE -> InvalidPhoneNumberException.Reason.UNKNOWN_COUNTRY;
                case TOO_SHORT_NSN, TOO_SHORT_AFTER_IDD -> InvalidPhoneNumberException.Reason.TOO_SHORT;
                case TOO_LONG -> InvalidPhoneNumberException.Reason.TOO_LONG;
                default -> InvalidPhoneNumberException.Reason.NOT_A_NUMBER;
            });
        }
    }

    /** Arabic-Indic and Persian digits count as digits: people type them. */
    private static String normaliseDigits(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            int digit = Character.digit(cp, 10);
            out.append(digit >= 0 && !Character.isLetter(cp) ? (char) ('0' + digit) : Character.toString(cp));
        });
        return out.toString();
    }

    private Phonenumber.PhoneNumber proto() {
        try {
            return UTIL.parse(e164, null);
        } catch (NumberParseException e) {
            throw new IllegalStateException("E.164 number no longer parses", e);
        }
    }

    /** ISO 3166 alpha-2 region, e.g. {@code FR}, {@code MA}, {@code AF}; {@code ZZ} when unknown. */
    public String region() {
        String region = UTIL.getRegionCodeForNumber(proto());
        return region == null ? "ZZ" : region;
    }

    public int countryCallingCode() {
        return proto().getCountryCode();
    }

    public LineType lineType() {
        return switch (UTIL.getNumberType(proto())) {
            case MOBILE -> LineType.MOBILE;
            case FIXED_LINE -> LineType.FIXED_LINE;
            case FIXED_LINE_OR_MOBILE -> LineType.FIXED_LINE_OR_MOBILE;
            case VOIP -> LineType.VOIP;
            default -> LineType.OTHER;
        };
    }

    /** Whether a text to this number is expected to arrive (mobile, or a number that may be one). */
    public boolean canReceiveTexts() {
        LineType type = lineType();
        return type == LineType.MOBILE || type == LineType.FIXED_LINE_OR_MOBILE;
    }

    /**
     * The form for logs and staff screens: country code, first digit and last two digits,
     * e.g. {@code +33 6•• •• •• 78}.
     */
    public String masked() {
        Phonenumber.PhoneNumber proto = proto();
        String international = UTIL.format(proto, PhoneNumberFormat.INTERNATIONAL);
        String prefix = "+" + proto.getCountryCode();
        String national = international.substring(prefix.length());
        StringBuilder out = new StringBuilder(prefix);
        int digitsSeen = 0;
        long totalDigits = national.chars().filter(Character::isDigit).count();
        for (char c : national.toCharArray()) {
            if (Character.isDigit(c)) {
                digitsSeen++;
                out.append(digitsSeen == 1 || digitsSeen > totalDigits - 2 ? c : '•');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** National format for reading back to a person, e.g. {@code 06 12 34 56 78}. */
    public String national() {
        return UTIL.format(proto(), PhoneNumberFormat.NATIONAL);
    }

    @Override
    public String toString() {
        return masked();
    }
}
