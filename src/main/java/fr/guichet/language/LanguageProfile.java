package fr.guichet.language;

/**
 * A language offered, from the {@code meta} section of its locale file.
 *
 * @param tag            BCP 47 tag: {@code fr}, {@code ar}, {@code fa-AF}…
 * @param ownName        its name in its own script ("Français", "العربية", "دری")
 * @param rightToLeft    text direction
 * @param twilioVoice    voice for {@code <Say>}, or null when Twilio has none (then recorded prompts, or SMS only)
 * @param twilioLanguage language code for {@code <Say>}, or null
 * @param speechModel    folder name under {@code APP_SPEECH_MODELS_DIR} for Vosk, or null (keypad only)
 * @param dateSkeleton   ICU skeleton for dates read to the person (e.g. {@code EEEEdMMMM})
 * @param timeSkeleton   ICU skeleton for times (e.g. {@code Hm})
 */
public record LanguageProfile(
        String tag,
        String ownName,
        boolean rightToLeft,
        String twilioVoice,
        String twilioLanguage,
        String speechModel,
        String dateSkeleton,
        String timeSkeleton) {}
