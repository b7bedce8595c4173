package fr.guichet.booking;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** APP_DEMO_DATA: on by default with the embedded database, off by default with an outside one, forced either way. */
class DemoDataSwitchTest {
    private static boolean enabled(String demoData, String datasourceUrl) {
        return new DemoData(null, null, null, null, null, demoData, datasourceUrl).enabled();
    }

    @Test
    void defaultFollowsTheDatabaseAndTheSettingWins() {
        assertThat(enabled("", "")).isTrue();
        assertThat(enabled(null, null)).isTrue();
        assertThat(enabled("", "jdbc:postgresql://db/guichet")).isFalse();
        assertThat(enabled("true", "jdbc:postgresql://db/guichet")).isTrue();
        assertThat(enabled("false", "")).isFalse();
    }
}
