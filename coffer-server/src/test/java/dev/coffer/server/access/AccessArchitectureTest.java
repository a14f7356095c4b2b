package dev.coffer.server.access;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The analyses have one source of truth: they ask {@code authz.AccessDecider}, never the policy
 * evaluator or a policy set of their own, and like every service they see no HTTP, codec or pipeline.
 */
class AccessArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.coffer.server");

    @Test
    void theAnalysesAskTheDeciderNeverTheEvaluator() {
        noClasses().that().resideInAPackage("..server.access..")
                .should().dependOnClassesThat().haveFullyQualifiedName("dev.coffer.server.iam.PolicyEvaluator")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.coffer.server.iam.PolicySet")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.coffer.server.iam.AccessRequest")
                .check(CLASSES);
    }

    @Test
    void theAnalysesSeeNoHttpCodecOrPipeline() {
        noClasses().that().resideInAPackage("..server.access..")
                .should().dependOnClassesThat().resideInAnyPackage("..server.http..", "..server.protocol..",
                        "..server.request..", "..server.store..", "org.eclipse.jetty..")
                .check(CLASSES);
    }
}
