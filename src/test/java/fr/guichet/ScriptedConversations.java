package fr.guichet;

import fr.guichet.conversation.Conversations;
import fr.guichet.conversation.Expectation;
import fr.guichet.conversation.Inbound;
import fr.guichet.conversation.Prompt;
import fr.guichet.conversation.Turn;
import fr.guichet.phone.PhoneNumber;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stand-in for the conversation runtime (built on another branch, not on main yet) for the channel's own tests:
 * the channel is what is under test here. "SLOW" waits on a real PostgreSQL advisory lock the test holds, so a slow
 * turn is a real slow dependency. The end-to-end tests against the real runtime replace this once it is merged.
 */
public final class ScriptedConversations implements Conversations {
    public static final long SLOW_LOCK = 4242L;
    public final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    public ScriptedConversations(JdbcClient jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    @Override
    public Turn handle(Inbound inbound) {
        calls.computeIfAbsent(inbound.text(), k -> new AtomicInteger()).incrementAndGet();
        String text = inbound.text().strip();
        String language = text.codePoints().anyMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.ARABIC) ? "ar" : "fr";
        if (text.equals("STOP")) return turn(language, "Vous ne recevrez plus de SMS. Vos rendez-vous sont maintenus.", Turn.OptOutChange.STOP);
        if (text.equals("START")) return turn(language, "Les SMS reprennent.", Turn.OptOutChange.START);
        if (text.startsWith("FAIL")) {
            if (text.startsWith("FAIL SLOW")) {
                tx.executeWithoutResult(s -> jdbc.sql("SELECT pg_advisory_xact_lock(:k)").param("k", SLOW_LOCK).query(Object.class).list());
            }
            throw new IllegalStateException("scripted failure");
        }
        if (text.startsWith("SLOW")) {
            tx.executeWithoutResult(s -> jdbc.sql("SELECT pg_advisory_xact_lock(:k)").param("k", SLOW_LOCK).query(Object.class).list());
            return turn(language, "Réponse lente pour " + text, Turn.OptOutChange.NONE);
        }
        if (text.equals("LONG")) {
            return turn(language, ("Votre rendez-vous à la préfecture de l'Isère est confirmé pour mardi 10 mars à 10:00. "
                    + "Présentez-vous avec votre passeport, un justificatif de domicile et trois photos d'identité. ").repeat(3),
                    Turn.OptOutChange.NONE);
        }
        return turn(language, "Écho : " + text, Turn.OptOutChange.NONE);
    }

    private static Turn turn(String language, String text, Turn.OptOutChange optOut) {
        return new Turn(language, List.of(new Prompt("test.echo", Map.of(), text, false)), Expectation.nothing(), false, optOut, false);
    }

    @Override
    public Optional<String> languageOf(PhoneNumber phone) {
        return Optional.of("fr");
    }
}
