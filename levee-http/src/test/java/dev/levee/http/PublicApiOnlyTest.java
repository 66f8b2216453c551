package dev.levee.http;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The HTTP gateway is built on levee's public API alone, like any other application of the library. */
class PublicApiOnlyTest {
    @Test
    void theGatewayUsesNoInternalType() throws Exception {
        JavaClasses gateway = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPath(Path.of(GatewayServer.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.levee.internal..").check(gateway);
    }
}
