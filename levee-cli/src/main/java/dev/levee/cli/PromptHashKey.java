package dev.levee.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The installation's key for prompt hashes, kept in the data directory: made once, read at every
 * start, so the hashes in logs and telemetry correlate across restarts and instances that share the
 * directory, and cannot be reversed by hashing a dictionary without the file.
 */
final class PromptHashKey {
    static final String FILE = "prompt-hash.key";

    private PromptHashKey() {
    }

    static byte[] in(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            if (!Files.exists(file)) {
                create(dataDir, file);
            }
            byte[] key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
            if (key.length < 16) {
                throw new ErrorReporter.UsageProblem(file + ": the prompt hash key is shorter than 16 bytes");
            }
            return key;
        } catch (IllegalArgumentException e) {
            throw new ErrorReporter.UsageProblem(file + ": not a base64 prompt hash key; delete it to make a new one"
                    + " (prompt hashes from before will no longer match)");
        } catch (IOException e) {
            throw new ErrorReporter.UsageProblem(file + ": cannot read or create the prompt hash key ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** 32 random bytes, readable by the owner only, written whole or not at all. */
    private static void create(Path dataDir, Path file) throws IOException {
        Files.createDirectories(dataDir);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path temp = Files.createTempFile(dataDir, FILE, ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // a file system without POSIX permissions: the directory's own protection applies
            }
            Files.writeString(temp, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file);
            } catch (FileAlreadyExistsException raced) {
                // another instance made it first: keep theirs
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
