package fr.guichet.conversation;

import com.ibm.icu.text.DateFormatSymbols;
import com.ibm.icu.util.ULocale;
import fr.guichet.booking.Reference;
import fr.guichet.phone.InvalidPhoneNumberException;
import fr.guichet.phone.PhoneNumber;
import java.text.Normalizer;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what people type or say: any script, Arabic-Indic and Persian digits, numbers as words, dates in the common
 * forms (12/03, 12 mars, 2026-03-12, 12.03.1990). Pure; nothing here throws on any input.
 */
final class Answers {
    /** Longer inputs are cut: nobody answers a menu with a page of text, and matching stays cheap. */
    static final int MAX_INPUT = 480;
    private static final Pattern ISO = Pattern.compile("(\\d{4})[-./ ](\\d{1,2})[-./ ](\\d{1,2})");
    private static final Pattern MONTH_YEAR = Pattern.compile("(\\d{1,2})[-./ ](\\d{4})");
    private static final Pattern DAY_MONTH_YEAR = Pattern.compile("(\\d{1,2})[-./ ](\\d{1,2})(?:[-./ ](\\d{2}|\\d{4}))?");
    private static final Pattern DAY_WORD_YEAR = Pattern.compile("(\\d{1,2})(?:er|st|nd|rd|th)? ([\\p{L}]+)(?: (\\d{4}))?");
    /** The same, inside a few words ("el 15 de diciembre", "le 15 mars", "à partir du 20/03"). */
    private static final Pattern DAY_WORD_YEAR_WITHIN = Pattern.compile("(?<![\\p{L}\\d])" + DAY_WORD_YEAR.pattern() + "(?![\\p{L}\\d])");
    private static final Pattern DAY_MONTH_YEAR_WITHIN = Pattern.compile("(?<![\\d./-])" + DAY_MONTH_YEAR.pattern() + "(?![\\d./-])");
    private static final Pattern TIME = Pattern.compile("(\\d{1,2})(?:[h:.]|h )?(\\d{2})?(?: ?h)?");
    private static final Map<String, Map<String, Integer>> MONTHS = new ConcurrentHashMap<>();

    private Answers() {}

    /** Control characters removed, compatibility forms folded, length capped. */
    static String clean(String raw) {
        if (raw == null) return "";
        String text = raw.length() > MAX_INPUT * 2 ? raw.substring(0, MAX_INPUT * 2) : raw;
        text = Normalizer.normalize(text, Normalizer.Form.NFKC);
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            if (type == Character.CONTROL || type == Character.FORMAT || type == Character.UNASSIGNED || type == Character.PRIVATE_USE) {
                out.append(' ');
            } else {
                out.appendCodePoint(cp);
            }
        });
        String stripped = out.toString().strip().replaceAll("\\s+", " ");
        return stripped.length() > MAX_INPUT ? stripped.substring(0, MAX_INPUT) : stripped;
    }

    /** For matching words: lower case, no accents or Arabic vowel marks, ASCII digits, one space between words. */
    static String normalise(String text) {
        String decomposed = Normalizer.normalize(clean(text).toLowerCase(Locale.ROOT), Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(decomposed.length());
        decomposed.codePoints().forEach(cp -> {
            if (Character.getType(cp) == Character.NON_SPACING_MARK) return;
            int digit = Character.isDigit(cp) ? Character.digit(cp, 10) : -1;
            if (digit >= 0) out.append((char) ('0' + digit));
            else if (cp == 'ي' || cp == 'ى') out.append('ی');
            else if (cp == 'ك') out.append('ک');
            else if (cp == 'ة') out.append('ه');
            else if (Character.isLetter(cp) || cp == '*' || cp == '#') out.appendCodePoint(cp);
            else if (cp == '/' || cp == '-' || cp == '.' || cp == ':') out.appendCodePoint(cp);
            else out.append(' ');
        });
        return out.toString().strip().replaceAll("\\s+", " ");
    }

    /** Splits a synonyms text ({@code "oui|o|ok"}) into normalised words. */
    static List<String> words(String synonyms) {
        return java.util.Arrays.stream(synonyms.split("\\|")).map(Answers::normalise).filter(w -> !w.isEmpty()).toList();
    }

    /** A whole number, as digits or as a word of {@code numberWords} (index 0 is one). */
    static Optional<Integer> number(String text, List<String> numberWords) {
        String n = normalise(text).replaceAll("[.:/-]", " ").strip();
        if (n.matches("\\d{1,6}")) return Optional.of(Integer.parseInt(n));
        // An entry may hold several spellings, written "deux,2e" in the locale file (normalised to spaces).
        for (int i = 0; i < numberWords.size(); i++) {
            if (numberWords.get(i).equals(n) || List.of(numberWords.get(i).split(" ")).contains(n)) return Optional.of(i + 1);
        }
        return Optional.empty();
    }

    /** True for yes, false for no; 1 means yes and 2 means no, as the prompts say. */
    static Optional<Boolean> yesNo(String text, List<String> yes, List<String> no, List<String> numberWords) {
        String n = normalise(text);
        if (yes.contains(n)) return Optional.of(true);
        if (no.contains(n)) return Optional.of(false);
        Optional<Integer> number = number(text, numberWords);
        if (number.isPresent() && number.get() == 1) return Optional.of(true);
        if (number.isPresent() && number.get() == 2) return Optional.of(false);
        return Optional.empty();
    }

    enum DateKind {
        /** A day to come: a year may be left out (the next such day). */
        FUTURE,
        /** A birth date: the year is needed; two-digit years are read as the most recent past. */
        BIRTH,
        /** A permit's expiry: up to five years back, up to ten years on; "03/2027" means the end of that month. */
        EXPIRY
    }

    static Optional<LocalDate> date(String text, String language, LocalDate today, DateKind kind) {
        return written(text, language, today, kind).filter(d -> switch (kind) {
            case FUTURE -> !d.isBefore(today) && d.isBefore(today.plusYears(1));
            case BIRTH -> d.isBefore(today) && d.isAfter(today.minusYears(120));
            case EXPIRY -> d.isAfter(today.minusYears(5)) && d.isBefore(today.plusYears(11));
        });
    }

    /** A real date written in the text, whether or not it is one of the kind asked (a birth date in the future). */
    static Optional<LocalDate> written(String text, String language, LocalDate today, DateKind kind) {
        // "12 de marzo", "12 de março", "3rd of May": the preposition carries nothing.
        String n = normalise(text).replace(',', ' ').replace(" de ", " ").replace(" of ", " ").strip();
        if (n.isEmpty() || n.length() > 40) return Optional.empty();
        try {
            return parseDate(n, language, today, kind);
        } catch (DateTimeException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<LocalDate> parseDate(String n, String language, LocalDate today, DateKind kind) {
        Matcher m = ISO.matcher(n);
        if (m.matches()) return Optional.of(LocalDate.of(i(m, 1), i(m, 2), i(m, 3)));
        m = MONTH_YEAR.matcher(n);
        if (m.matches() && kind == DateKind.EXPIRY) return Optional.of(YearMonth.of(i(m, 2), i(m, 1)).atEndOfMonth());
        m = DAY_MONTH_YEAR.matcher(n);
        if (m.matches()) return withYear(i(m, 1), i(m, 2), m.group(3), today, kind);
        m = DAY_WORD_YEAR.matcher(n);
        if (m.matches()) {
            Integer month = months(language).get(m.group(2));
            if (month == null) return Optional.empty();
            return withYear(i(m, 1), month, m.group(3), today, kind);
        }
        if (n.matches("\\d{4}") && kind == DateKind.FUTURE) { // 1203, a day and month typed on a keypad
            return withYear(Integer.parseInt(n.substring(0, 2)), Integer.parseInt(n.substring(2)), null, today, kind);
        }
        if (n.matches("\\d{8}")) { // 12031990, as typed on a keypad
            return Optional.of(LocalDate.of(Integer.parseInt(n.substring(4)), Integer.parseInt(n.substring(2, 4)), Integer.parseInt(n.substring(0, 2))));
        }
        // People write the date in a sentence: the first day-and-month in it, if there is one.
        m = DAY_WORD_YEAR_WITHIN.matcher(n);
        while (m.find()) {
            Integer month = months(language).get(m.group(2));
            if (month != null) return withYear(i(m, 1), month, m.group(3), today, kind);
        }
        m = DAY_MONTH_YEAR_WITHIN.matcher(n);
        if (m.find()) return withYear(i(m, 1), i(m, 2), m.group(3), today, kind);
        return Optional.empty();
    }

    private static Optional<LocalDate> withYear(int day, int month, String yearText, LocalDate today, DateKind kind) {
        if (yearText == null) {
            if (kind == DateKind.BIRTH) return Optional.empty();
            LocalDate thisYear = LocalDate.of(today.getYear(), month, day);
            return Optional.of(thisYear.isBefore(today) ? thisYear.plusYears(1) : thisYear);
        }
        int year = Integer.parseInt(yearText);
        if (yearText.length() == 2) {
            int century = today.getYear() / 100 * 100;
            year += century;
            if (kind == DateKind.BIRTH && year >= today.getYear()) year -= 100;
        }
        return Optional.of(LocalDate.of(year, month, day));
    }

    private static int i(Matcher m, int group) {
        return Integer.parseInt(m.group(group));
    }

    /** Month names of the language (as ICU knows them, full and short, both grammatical forms), plus French and English. */
    private static Map<String, Integer> months(String language) {
        return MONTHS.computeIfAbsent(language, tag -> {
            Map<String, Integer> out = new HashMap<>();
            for (String t : List.of("fr", "en", tag)) {
                DateFormatSymbols symbols = new DateFormatSymbols(ULocale.forLanguageTag(t));
                for (int context : new int[] {DateFormatSymbols.FORMAT, DateFormatSymbols.STANDALONE}) {
                    for (int width : new int[] {DateFormatSymbols.WIDE, DateFormatSymbols.ABBREVIATED}) {
                        String[] names = symbols.getMonths(context, width);
                        for (int k = 0; k < names.length && k < 12; k++) {
                            String name = normalise(names[k]).replace(".", "");
                            if (!name.isEmpty()) out.putIfAbsent(name, k + 1);
                        }
                    }
                }
            }
            return Map.copyOf(out);
        });
    }

    static Optional<LocalTime> time(String text) {
        String n = normalise(text);
        Matcher m = TIME.matcher(n);
        if (!m.matches()) return Optional.empty();
        int hour = Integer.parseInt(m.group(1));
        int minute = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        return hour < 24 && minute < 60 ? Optional.of(LocalTime.of(hour, minute)) : Optional.empty();
    }

    /** A person's name: letters of any script, spaces, hyphens and apostrophes; at least two letters. */
    static Optional<String> name(String text) {
        String c = clean(text);
        if (c.length() < 2 || c.length() > 80) return Optional.empty();
        long letters = c.codePoints().filter(Character::isLetter).count();
        boolean allowed = c.codePoints().allMatch(cp -> Character.isLetter(cp) || cp == ' ' || cp == '-' || cp == '\'' || cp == '’'
                || Character.getType(cp) == Character.NON_SPACING_MARK || Character.getType(cp) == Character.COMBINING_SPACING_MARK);
        return allowed && letters >= 2 ? Optional.of(c) : Optional.empty();
    }

    static Optional<PhoneNumber> phone(String text) {
        try {
            return Optional.of(PhoneNumber.parse(clean(text)));
        } catch (InvalidPhoneNumberException e) {
            return Optional.empty();
        }
    }

    /** A PIN: 4 to 8 digits of any script, spaces allowed between them; kept as typed (leading zeros count). */
    static Optional<String> pin(String text) {
        String c = clean(text).replace(" ", "");
        if (c.isEmpty() || c.length() > 8) return Optional.empty();
        StringBuilder digits = new StringBuilder();
        for (int i = 0; i < c.length(); ) {
            int cp = c.codePointAt(i);
            int d = Character.digit(cp, 10);
            if (d < 0) return Optional.empty();
            digits.append((char) ('0' + d));
            i += Character.charCount(cp);
        }
        return digits.length() >= 4 ? Optional.of(digits.toString()) : Optional.empty();
    }

    static Optional<Reference> reference(String text) {
        return Reference.parse(clean(text));
    }
}
