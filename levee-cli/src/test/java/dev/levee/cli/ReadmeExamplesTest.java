package dev.levee.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.config.ConfigLoader;
import dev.levee.config.LeveeConfig;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java examples for library users, compiled and run as written: each block becomes
 * the body of a method (with the imports a reader would add, and {@code config} in scope for the
 * blocks that take one) against levee on its embedded simulator. The OpenAI SDK example needs the
 * SDK and a gateway: levee-compat-tests runs it.
 */
class ReadmeExamplesTest {
    private static final Path README = Path.of(System.getProperty("levee.readme", "../README.md"));
    private static final String IMPORTS = """
            import dev.levee.*;
            import dev.levee.config.*;
            import dev.levee.spi.*;
            import io.vertx.core.Future;
            import java.nio.file.Path;
            import java.util.concurrent.CompletableFuture;
            """;

    static List<String> javaBlocks(Path readme) throws Exception {
        Matcher m = Pattern.compile("(?s)```java\\n(.*?)```").matcher(Files.readString(readme));
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    @Test
    void theLibraryExamplesCompileAndRun(@TempDir Path dir) throws Exception {
        List<String> blocks = javaBlocks(README).stream().filter(b -> !b.contains("OpenAIOkHttpClient")).toList();
        assertThat(blocks).as("the library section's examples").hasSizeGreaterThanOrEqualTo(2);
        LeveeConfig config = ConfigLoader.loadDefault();
        for (int i = 0; i < blocks.size(); i++) {
            String name = "Example" + i;
            Path source = dir.resolve("readme/" + name + ".java");
            Files.createDirectories(source.getParent());
            Files.writeString(source, "package readme;\n" + IMPORTS + "public class " + name + " {\n"
                    + "    public static void run(LeveeConfig config) throws Exception {\n" + blocks.get(i)
                    + "\n    }\n}\n");
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            StringWriter errors = new StringWriter();
            boolean compiled = javac.getTask(errors, null, null, List.of("-d", dir.toString(), "-classpath",
                    System.getProperty("java.class.path"), "-proc:none"), null,
                    javac.getStandardFileManager(null, null, null).getJavaFileObjects(source.toFile())).call();
            assertThat(compiled).as("README example %d compiles:\n%s\n%s", i, blocks.get(i), errors).isTrue();
            try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
                    getClass().getClassLoader())) {
                loader.loadClass("readme." + name).getMethod("run", LeveeConfig.class).invoke(null, config);
            }
        }
    }
}
