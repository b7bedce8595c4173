package fr.guichet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

@GuichetTest
class BootTest {
    @Autowired JdbcClient jdbc;
    @LocalServerPort int port;

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

    @Test
    void healthAndPrometheusMetricsAreServed() {
        Webhooks http = new Webhooks(port);
        HttpResponse<String> health = http.get("/actuator/health", null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
        HttpResponse<String> metrics = http.get("/actuator/prometheus", null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes", "hikaricp_connections");
    }
}
