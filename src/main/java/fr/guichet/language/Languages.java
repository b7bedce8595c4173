package fr.guichet.language;

import java.util.List;
import java.util.Optional;

/** The languages offered, in menu order (French first). */
public interface Languages {
    List<LanguageProfile> offered();

    Optional<LanguageProfile> byTag(String tag);
}
