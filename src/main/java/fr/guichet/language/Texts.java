package fr.guichet.language;

import java.util.Map;

/** Every text the service says or writes, from {@code locales/<tag>.yaml}, formatted with ICU MessageFormat. */
public interface Texts {
    /** The text for {@code key} in the language, formatted with {@code args}; fails on an unknown key (a build test checks them all). */
    String text(String languageTag, String key, Map<String, ?> args);
}
