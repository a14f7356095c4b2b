package dev.coffer.cli;

import dev.coffer.server.audit.ChainVerifier;
import dev.coffer.server.bootstrap.AuditVerification;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code coffer audit verify}: checks the whole audit chain and every signed digest, reading the database
 * directly with only the public key, so no running server has to be trusted. Exit 0 when intact; 1 naming
 * the first event changed, removed, inserted or reordered (and further problems after it); 2 when it could
 * not check at all.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check the audit trail's hash chain and signed digests; name the first event tampered with.")
final class AuditVerifyCommand implements Callable<Integer> {
    static final int TAMPERED = 1;
    static final int CANNOT_CHECK = 2;

    @Option(names = "--data-dir", defaultValue = "coffer-data", description = "Data directory (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--storage", paramLabel = "URL", description = "Read PostgreSQL instead: postgresql://USER@HOST:PORT/DB.")
    String storage;

    @Option(names = "--storage-password-file", paramLabel = "FILE",
            description = "The database password (else the environment variable COFFER_STORAGE_PASSWORD).")
    Path storagePasswordFile;

    @Option(names = "--public-key", paramLabel = "FILE",
            description = "The digest signing key's public half (default: DATA_DIR/audit-signing.pub).")
    Path publicKey;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ChainVerifier.Report report;
        try {
            String password = StoreOptions.password(storagePasswordFile);
            Path key = publicKey != null ? publicKey : AuditVerification.defaultPublicKey(dataDir);
            report = AuditVerification.verify(dataDir, storage, password, key);
        } catch (Exception e) {
            err.println("cannot verify the audit trail: " + e.getMessage());
            err.flush();
            return CANNOT_CHECK;
        }
        if (report.intact()) {
            out.println("Audit trail intact: " + report.eventsChecked() + " events chained, " + report.digestsChecked()
                    + " signed digests verified" + (report.unsignedEvents() > 0 ? "; the last " + report.unsignedEvents()
                    + " events are not yet covered by a digest" : "") + ".");
            out.flush();
            return 0;
        }
        ChainVerifier.Finding first = report.findings().getFirst();
        err.println("Audit trail TAMPERED: " + first.message());
        for (ChainVerifier.Finding more : report.findings().subList(1, report.findings().size())) {
            err.println("  also: " + more.message());
        }
        err.println("(" + report.eventsChecked() + " events and " + report.digestsChecked() + " digests checked)");
        err.flush();
        return TAMPERED;
    }
}
