package dev.coffer.server.http;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * TLS certificates for the HTTP edge: a PEM certificate chain and key supplied by the
 * operator, or a self-signed certificate generated for the listen address (its PEM is
 * written beside the data so clients can trust it with {@code --ca-bundle}).
 * Bouncy Castle only reads and writes the certificate formats; keys come from the JDK.
 */
public final class TlsMaterial {
    public static final char[] KEYSTORE_PASSWORD = "coffer-in-memory".toCharArray();

    private TlsMaterial() {}

    public static KeyStore fromPem(Path certificateFile, Path keyFile) throws IOException, GeneralSecurityException {
        List<Certificate> chain = new ArrayList<>();
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        try (var in = Files.newInputStream(certificateFile)) {
            chain.addAll(factory.generateCertificates(in));
        }
        if (chain.isEmpty()) throw new GeneralSecurityException("no certificate in " + certificateFile);
        PrivateKey key;
        try (Reader reader = Files.newBufferedReader(keyFile, StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(reader)) {
            Object parsed = pem.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (parsed instanceof PEMKeyPair pair) key = converter.getPrivateKey(pair.getPrivateKeyInfo()); // SEC1 keys may omit the public half
            else if (parsed instanceof PrivateKeyInfo info) key = converter.getPrivateKey(info);
            else throw new GeneralSecurityException("no private key in " + keyFile);
        }
        return keyStore(key, chain.toArray(Certificate[]::new));
    }

    /**
     * The self-signed certificate kept in {@code certificateFile}/{@code keyFile}, created on first
     * use: reusing it across restarts keeps clients that trust it working.
     */
    public static KeyStore selfSigned(String host, Path certificateFile, Path keyFile) throws IOException, GeneralSecurityException {
        if (Files.exists(certificateFile) && Files.exists(keyFile)) return fromPem(certificateFile, keyFile);
        return generateSelfSigned(host, certificateFile, keyFile);
    }

    /** Generates an EC P-256 self-signed certificate for {@code host}, valid for a year; writes both PEMs (key 0600). */
    static KeyStore generateSelfSigned(String host, Path certificateOut, Path keyOut) throws IOException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=" + host + ",O=Coffer self-signed");
        List<GeneralName> names = new ArrayList<>();
        names.add(new GeneralName(GeneralName.dNSName, "localhost"));
        names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        if (isIpAddress(host)) names.add(new GeneralName(GeneralName.iPAddress, host));
        else names.add(new GeneralName(GeneralName.dNSName, host));
        try {
            var builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, new SecureRandom()),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(365))), subject,
                    pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            StringWriter text = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
                writer.writeObject(certificate);
            }
            Files.createDirectories(certificateOut.getParent());
            StringWriter keyText = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(keyText)) {
                writer.writeObject(new JcaPKCS8Generator(pair.getPrivate(), null)); // PKCS#8 "PRIVATE KEY"
            }
            Files.deleteIfExists(keyOut);
            Files.createFile(keyOut, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(keyOut, keyText.toString(), StandardCharsets.US_ASCII);
            Files.writeString(certificateOut, text.toString(), StandardCharsets.US_ASCII);
            return keyStore(pair.getPrivate(), new Certificate[] {certificate});
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign the self-signed certificate", e);
        }
    }

    private static boolean isIpAddress(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }

    private static KeyStore keyStore(PrivateKey key, Certificate[] chain) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("coffer", key, KEYSTORE_PASSWORD, chain);
        return store;
    }

    /** Whether listening on {@code host} exposes the server beyond this machine. */
    public static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }
}
