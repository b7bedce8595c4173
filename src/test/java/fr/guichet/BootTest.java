package fr.guichet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

@GuichetTest
class BootTest {
    @Autowired JdbcClient jdbc;

    @Test
    void startsOnARealPostgreSql() {
        assertThat(jdbc.sql("select version()").query(String.class).single()).startsWith("PostgreSQL");
    }

    @Test
    void theEmbeddedServerWaitsForEachCommitToReachTheDisk() {
        // A booking confirmed to the person must survive a crash of PostgreSQL or of the machine.
        assertThat(jdbc.sql("SHOW synchronous_commit").query(String.class).single()).isEqualTo("on");
        assertThat(jdbc.sql("SHOW fsync").query(String.class).single()).isEqualTo("on");
    }
}
