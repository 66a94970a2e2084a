package io.counterplatform.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.counterplatform.testsupport.SettingsTable;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's configuration table lists every setting of this service, with the default the code has. */
class SettingsTableTest {

    @Test
    void everySettingHasARowWithItsDefault() throws Exception {
        assertThat(SettingsTable.mismatches(Path.of("..", "README.md"))).isEmpty();
    }
}
