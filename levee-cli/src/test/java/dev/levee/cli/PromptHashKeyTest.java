package dev.levee.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The prompt hash key lives in the data directory: made once, the same at every start, the owner's only. */
class PromptHashKeyTest {
    @Test
    void madeOnceThenReadBackTheSame(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("levee-data");

        byte[] first = PromptHashKey.in(data);
        byte[] again = PromptHashKey.in(data);

        assertThat(first).hasSize(32).isEqualTo(again);
        assertThat(PromptHashKey.in(dir.resolve("another"))).isNotEqualTo(first);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(PromptHashKey.FILE))))
                .isEqualTo("rw-------");
    }

    @Test
    void aDamagedKeyFileIsAClearErrorNotANewKey(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(PromptHashKey.FILE), "not base64 at all!");

        assertThatThrownBy(() -> PromptHashKey.in(dir)).hasMessageContaining(PromptHashKey.FILE)
                .hasMessageContaining("delete it to make a new one");
    }
}
