package dev.levee.store;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.levee.internal.observe.BatchWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store is built on levee-core's public API (its SPIs), reaching inside only for the batch
 * writer; it never touches Vert.x, because everything it does blocks and must stay off event loops;
 * and only its facade, the audit log and its error are public.
 */
class StoreLayeringTest {
    private static JavaClasses store;

    @BeforeAll
    static void importStore() throws Exception {
        store = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPath(Path.of(Store.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
    }

    @Test
    void usesThePublicApiAndTheBatchWriterOnly() {
        noClasses().that().doNotHaveSimpleName("Ledger")
                .should().dependOnClassesThat().resideInAPackage("dev.levee.internal..").check(store);
        classes().that().haveSimpleName("Ledger").should().onlyDependOnClassesThat(
                com.tngtech.archunit.base.DescribedPredicate.describe("outside levee's internals, or its batch writer",
                        c -> !c.getPackageName().startsWith("dev.levee.internal") || c.isEquivalentTo(BatchWriter.class)))
                .check(store);
        noClasses().should().dependOnClassesThat().resideInAPackage("io.vertx..").check(store);
    }

    @Test
    void onlyTheFacadeIsPublic() {
        classes().that().arePublic().and().areTopLevelClasses().should()
                .haveSimpleNameEndingWith("Store").orShould().haveSimpleName("AuditLog")
                .orShould().haveSimpleName("StoreException").check(store);
    }
}
