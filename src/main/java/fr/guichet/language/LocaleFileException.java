package fr.guichet.language;

/** A locale file that cannot be used; the message names the file and what is wrong. */
public final class LocaleFileException extends RuntimeException {
    public LocaleFileException(String file, String problem) {
        super("locales/" + file + ": " + problem);
    }
}
