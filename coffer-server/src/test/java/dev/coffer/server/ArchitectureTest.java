package dev.coffer.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency arrows of ARCHITECTURE.md, enforced: they point down the request path
 * (http/protocol → request → services → keyring → store), and the pure parts import
 * nothing of Coffer's. A rule that fails here means a design problem, not a test to edit.
 */
class ArchitectureTest {
    private static JavaClasses coffer;

    @BeforeAll
    static void importClasses() {
        coffer = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.coffer");
    }

    @Test
    void servicesNeverSeeHttpCodecsOrThePipeline() {
        noClasses().that().resideInAnyPackage("..server.secrets..", "..server.auth..", "..server.sts..",
                        "..server.identities..", "..server.organizations..", "..server.authz..", "..server.access..")
                .should().dependOnClassesThat().resideInAnyPackage("..server.http..", "..server.protocol..",
                        "..server.request..", "org.eclipse.jetty..")
                .check(coffer);
    }

    @Test
    void iamAndCryptoImportNothingElseOfCoffer() {
        noClasses().that().resideInAPackage("..server.iam..")
                .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("dev.coffer..")
                        .and(JavaClass.Predicates.resideOutsideOfPackage("..server.iam..")))
                .check(coffer);
        noClasses().that().resideInAPackage("dev.coffer.crypto..")
                .should().dependOnClassesThat().resideInAPackage("dev.coffer.server..")
                .check(coffer);
    }

    @Test
    void theStoreKnowsNothingAboveIt() {
        noClasses().that().resideInAPackage("..server.store..")
                .should().dependOnClassesThat().resideInAnyPackage("..server.secrets..", "..server.keyring..",
                        "..server.auth..", "..server.request..", "..server.http..", "..server.protocol..",
                        "..server.bootstrap..")
                .check(coffer);
    }

    @Test
    void theKeyringKnowsNoServiceOrAdapter() {
        noClasses().that().resideInAnyPackage("..server.keyring..", "..server.seal..")
                .should().dependOnClassesThat().resideInAnyPackage("..server.secrets..", "..server.auth..",
                        "..server.request..", "..server.http..", "..server.protocol..", "..server.bootstrap..")
                .check(coffer);
    }

    @Test
    void theHttpEdgeKnowsNothingAboutSecrets() {
        noClasses().that().resideInAPackage("..server.http..")
                .should().dependOnClassesThat().resideInAnyPackage("..server.secrets..", "..server.store..",
                        "..server.keyring..", "..server.auth..")
                .check(coffer);
    }

    @Test
    void onlyTheStoreHoldsJdbcConnectionsAndStatements() {
        noClasses().that().resideOutsideOfPackage("..server.store..")
                .should().dependOnClassesThat().haveFullyQualifiedName("java.sql.Connection")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.sql.PreparedStatement")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.sql.ResultSet")
                .check(coffer);
    }

    @Test
    void onlyTheKeyringAndCredentialLookupOpenEnvelopes() {
        noClasses().that().resideOutsideOfPackages("..server.keyring..", "dev.coffer.crypto..")
                .should().dependOnClassesThat().haveFullyQualifiedName("dev.coffer.crypto.Envelope")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.coffer.crypto.Keyset")
                .check(coffer);
    }

    @Test
    void theAuditTrailKnowsNoAdapterNorService() {
        noClasses().that().resideInAPackage("..server.audit..")
                .should().dependOnClassesThat().resideInAnyPackage("..server.request..", "..server.http..",
                        "..server.protocol..", "..server.secrets..", "..server.identities..", "..server.sts..",
                        "..server.organizations..", "..server.access..", "..server.bootstrap..")
                .check(coffer);
    }

    @Test
    void nothingBelowTheEdgeCallsTheAuditStepDirectly() {
        noClasses().that().resideInAnyPackage("..server.secrets..", "..server.store..", "..server.keyring..")
                .should().dependOnClassesThat().resideInAPackage("..server.request..")
                .check(coffer);
    }
}
