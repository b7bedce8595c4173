package fr.guichet.speech;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The words a model can recognise. Vosk silently drops grammar words that are not in the model (it only logs a
 * warning), so a menu choice whose every word is missing would never be heard; this lets the grammar know beforehand.
 *
 * <p>Big models carry {@code graph/words.txt}; small ones (like the English model from Maven Central) only have the
 * word symbol table embedded at the head of {@code graph/Gr.fst}, in OpenFst's binary layout, which is read here.
 */
record Vocabulary(Set<String> words, Map<String, String> byFolded) {

    private static final int FST_MAGIC = 0x7eb2fdd6;
    private static final int SYMBOL_TABLE_MAGIC = 0x7eb2fb74;
    private static final int HAS_INPUT_SYMBOLS = 1;

    /** A vocabulary that accepts every word: used when the model has no readable word list. */
    static final Vocabulary UNKNOWN = new Vocabulary(null, Map.of());

    Vocabulary(Set<String> words) {
        this(words, words == null ? Map.of() : foldedIndex(words));
    }

    boolean contains(String word) {
        return words == null || words.contains(word);
    }

    /**
     * The model's spelling of a word: the word itself when the model knows it, else the one model word that is the same
     * once accents are taken off. Locale files hold answer words without accents ("telephone", "rendez-vous" is kept),
     * while a French model spells "téléphone": without this the French grammar would lose those words.
     */
    Optional<String> spelling(String word) {
        if (contains(word)) {
            return Optional.of(word);
        }
        return Optional.ofNullable(byFolded.get(fold(word)));
    }

    static String fold(String word) {
        String decomposed = Normalizer.normalize(word.toLowerCase(Locale.ROOT), Normalizer.Form.NFD);
        return decomposed.codePoints()
                .filter(cp -> Character.getType(cp) != Character.NON_SPACING_MARK)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
    }

    /** Folded form → model word, leaving out folded forms two model words share (the choice would be a guess). */
    private static Map<String, String> foldedIndex(Set<String> words) {
        Map<String, String> index = new HashMap<>();
        Set<String> ambiguous = new HashSet<>();
        for (String word : words) {
            String folded = fold(word);
            if (folded.equals(word)) {
                continue;
            }
            if (index.putIfAbsent(folded, word) != null) {
                ambiguous.add(folded);
            }
        }
        ambiguous.forEach(index::remove);
        return Map.copyOf(index);
    }

    boolean known() {
        return words != null;
    }

    static Vocabulary of(Path modelDir) {
        try {
            Path wordsTxt = modelDir.resolve("graph/words.txt");
            if (Files.isRegularFile(wordsTxt)) {
                Set<String> words = new HashSet<>();
                for (String line : Files.readAllLines(wordsTxt, StandardCharsets.UTF_8)) {
                    int space = line.indexOf(' ');
                    words.add(space < 0 ? line.strip() : line.substring(0, space));
                }
                return new Vocabulary(Set.copyOf(words));
            }
            Path grammarFst = modelDir.resolve("graph/Gr.fst");
            if (Files.isRegularFile(grammarFst)) {
                try (InputStream in = new BufferedInputStream(Files.newInputStream(grammarFst), 1 << 16)) {
                    Set<String> words = readFstInputSymbols(new DataInputStream(in));
                    return words == null ? UNKNOWN : new Vocabulary(words);
                }
            }
        } catch (IOException | RuntimeException e) {
            return UNKNOWN;
        }
        return UNKNOWN;
    }

    /** Reads the header of an OpenFst binary file and, when present, its input symbol table. */
    static Set<String> readFstInputSymbols(DataInputStream in) throws IOException {
        if (readInt(in) != FST_MAGIC) {
            return null;
        }
        readString(in); // fst type
        readString(in); // arc type
        readInt(in); // version
        int flags = readInt(in);
        in.skipNBytes(8 + 8 + 8 + 8); // properties, start state, number of states, number of arcs
        if ((flags & HAS_INPUT_SYMBOLS) == 0 || readInt(in) != SYMBOL_TABLE_MAGIC) {
            return null;
        }
        readString(in); // table name
        readLong(in); // next available key
        long size = readLong(in);
        if (size < 0 || size > 10_000_000) {
            return null;
        }
        Set<String> words = HashSet.newHashSet((int) size);
        for (long i = 0; i < size; i++) {
            words.add(readString(in));
            readLong(in); // key
        }
        return Set.copyOf(words);
    }

    private static int readInt(DataInputStream in) throws IOException {
        return Integer.reverseBytes(in.readInt());
    }

    private static long readLong(DataInputStream in) throws IOException {
        return Long.reverseBytes(in.readLong());
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = readInt(in);
        if (length < 0 || length > 1 << 16) {
            throw new EOFException("not an OpenFst string");
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
