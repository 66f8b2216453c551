package dev.levee.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's OpenAI SDK example, compiled as written and run against a gateway: only its base
 * URL (localhost:4000 in the README) is pointed at the gateway's ephemeral port. levee-cli's
 * ReadmeExamplesTest runs the library examples.
 */
class ReadmeOpenAiExampleTest {
    @Test
    void theOpenAiSdkExampleCompilesAndGetsAnAnswer(@TempDir Path dir) throws Exception {
        Matcher m = Pattern.compile("(?s)```java\\n(.*?)```").matcher(Files.readString(Path.of("../README.md")));
        String block = null;
        while (m.find()) {
            if (m.group(1).contains("OpenAIOkHttpClient")) {
                block = m.group(1);
            }
        }
        assertThat(block).as("the README's OpenAI SDK example").isNotNull().contains("http://localhost:4000/v1");
        try (Gateway gateway = new Gateway()) {
            Path source = dir.resolve("readme/OpenAiExample.java");
            Files.createDirectories(source.getParent());
            Files.writeString(source, """
                    package readme;
                    import com.openai.client.OpenAIClient;
                    import com.openai.client.okhttp.OpenAIOkHttpClient;
                    import com.openai.models.chat.completions.ChatCompletion;
                    import com.openai.models.chat.completions.ChatCompletionCreateParams;
                    public class OpenAiExample {
                        public static ChatCompletion run() {
                    %s
                            return c;
                        }
                    }
                    """.formatted(block.replace("http://localhost:4000/v1", gateway.baseUrl())));
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            StringWriter errors = new StringWriter();
            boolean compiled = javac.getTask(errors, null, null, List.of("-d", dir.toString(), "-classpath",
                    System.getProperty("java.class.path"), "-proc:none"), null,
                    javac.getStandardFileManager(null, null, null).getJavaFileObjects(source.toFile())).call();
            assertThat(compiled).as("the example compiles:\n%s\n%s", block, errors).isTrue();
            try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
                    getClass().getClassLoader())) {
                Object completion = loader.loadClass("readme.OpenAiExample").getMethod("run").invoke(null);
                assertThat(((com.openai.models.chat.completions.ChatCompletion) completion).choices()).isNotEmpty();
            }
        }
    }
}
