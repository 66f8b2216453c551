package dev.levee.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.levee.Levee;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * levee-core's layering, checked on its compiled classes. The public API is the facade package
 * ({@code dev.levee}), {@code spi} and {@code config}; everything else is {@code internal}. Inside,
 * dependencies point one way: engine (composition) → routing → resilience → chain, providers below
 * streams, and observability only as event listeners.
 */
class LayeringTest {
    private static final String INTERNAL = "dev.levee.internal..";
    private static JavaClasses core;

    @BeforeAll
    static void importCore() throws URISyntaxException {
        // Only levee-core's own classes: the test class path also holds the simulator the tests run against.
        core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPath(Path.of(Levee.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("dev.levee.(*)..").should().beFreeOfCycles().check(core);
        slices().matching("dev.levee.internal.(*)..").should().beFreeOfCycles().check(core);
    }

    @Test
    void thePublicApiDoesNotReachInsideExceptThroughTheFacadeEntry() {
        noClasses().that().resideInAnyPackage("dev.levee", "dev.levee.spi..", "dev.levee.config..")
                .and().doNotBelongToAnyOf(Levee.class)
                .should().dependOnClassesThat().resideInAPackage(INTERNAL)
                .check(core);
    }

    @Test
    void configurationIsPlainValues() {
        noClasses().that().resideInAPackage("dev.levee.config..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.levee.spi..", INTERNAL, "io.vertx..")
                .check(core);
    }

    @Test
    void theRequestPathReachesObservabilityOnlyThroughEvents() {
        noClasses().that().resideInAnyPackage("dev.levee.internal.chain..", "dev.levee.internal.routing..",
                        "dev.levee.internal.resilience..", "dev.levee.internal.provider..", "dev.levee.internal.stream..",
                        "dev.levee.internal.access..")
                .should().dependOnClassesThat().resideInAPackage("dev.levee.internal.observe..")
                .check(core);
    }

    @Test
    void dependenciesInsidePointOneWay() {
        noClasses().that().resideInAPackage("dev.levee.internal.chain..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.levee.internal.engine..",
                        "dev.levee.internal.routing..", "dev.levee.internal.resilience..",
                        "dev.levee.internal.provider..")
                .check(core);
        noClasses().that().resideInAPackage("dev.levee.internal.resilience..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.levee.internal.engine..",
                        "dev.levee.internal.routing..", "dev.levee.internal.provider..")
                .check(core);
        noClasses().that().resideInAPackage("dev.levee.internal.routing..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.levee.internal.engine..",
                        "dev.levee.internal.provider..")
                .check(core);
        noClasses().that().resideInAnyPackage("dev.levee.internal.provider..", "dev.levee.internal.stream..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.levee.internal.engine..",
                        "dev.levee.internal.routing..", "dev.levee.internal.resilience..",
                        "dev.levee.internal.chain..")
                .check(core);
    }

    @Test
    void authenticationKnowsOnlyTheChainAndTheSpi() {
        noClasses().that().resideInAPackage("dev.levee.internal.access..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.levee.internal.engine..",
                        "dev.levee.internal.routing..", "dev.levee.internal.resilience..",
                        "dev.levee.internal.provider..")
                .check(core);
    }

    @Test
    void theLibraryHoldsNoDatabase() {
        // Keys and usage reach a database only through the KeyStore and UsageSink SPIs (levee-store).
        noClasses().should().dependOnClassesThat().resideInAPackage("java.sql..").check(core);
    }

    @Test
    void limitsKnowNeitherTheEngineNorRoutingNorProviders() {
        noClasses().that().resideInAPackage("dev.levee.internal.limits..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.levee.internal.engine..",
                        "dev.levee.internal.routing..", "dev.levee.internal.provider..",
                        "dev.levee.internal.observe..")
                .check(core);
    }

    @Test
    void onlyTheResiliencePackageUsesResilience4j() {
        noClasses().that().resideOutsideOfPackage("dev.levee.internal.resilience..")
                .should().dependOnClassesThat().resideInAPackage("io.github.resilience4j..")
                .check(core);
    }

    @Test
    void theLibraryDoesNotNeedTheSimulator() {
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.levee.simulator..").check(core);
    }

    @Test
    void noPublicMutableStatics() {
        fields().that().arePublic().and().areStatic().should().beFinal().check(core);
        classes().that().resideInAPackage(INTERNAL).and().arePublic()
                .should().resideInAPackage(INTERNAL).check(core);
    }
}
