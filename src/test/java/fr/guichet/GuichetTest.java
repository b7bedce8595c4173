package fr.guichet;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The whole service on a random port over a real embedded PostgreSQL in a fresh folder. Test classes with the same
 * annotation share one started service (Spring's context cache), so keep extra properties off it where possible.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "app.data-dir=${java.io.tmpdir}/guichet-tests/${random.uuid}")
public @interface GuichetTest {}
