package dev.coffer.server.audit;

import dev.coffer.crypto.Hashing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The Ed25519 key that signs the audit chain's digests (JCA), held apart from the data it vouches for:
 * a PEM file ({@code audit-signing.key}, 0600, in the data directory unless given elsewhere) with its
 * public half beside it ({@code .pub}), which is all a verifier needs. Whoever can rewrite the database
 * but not read this file cannot forge a digest.
 */
public final class DigestKeys {
    private static final String ALGORITHM = "Ed25519";

    private DigestKeys() {}

    /** Reads the private key file, or creates it (and its public half) if it does not exist. */
    public static KeyPair loadOrCreate(Path privateKeyFile) {
        try {
            if (Files.exists(privateKeyFile)) {
                PrivateKey priv = KeyFactory.getInstance(ALGORITHM)
                        .generatePrivate(new PKCS8EncodedKeySpec(pem(Files.readString(privateKeyFile), "PRIVATE KEY")));
                PublicKey pub = readPublic(publicKeyFile(privateKeyFile));
                return new KeyPair(pub, priv);
            }
            KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
            Path parent = privateKeyFile.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.writeString(privateKeyFile, "", StandardOpenOption.CREATE_NEW);
            try {
                Files.setPosixFilePermissions(privateKeyFile, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // best effort on file systems without POSIX permissions
            }
            Files.writeString(privateKeyFile, toPem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            Files.writeString(publicKeyFile(privateKeyFile), toPem("PUBLIC KEY", pair.getPublic().getEncoded()));
            return pair;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the audit signing key " + privateKeyFile, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the audit signing key " + privateKeyFile + " is not an Ed25519 key", e);
        }
    }

    /** Where the public half of a private key file is kept: beside it, with {@code .pub}. */
    public static Path publicKeyFile(Path privateKeyFile) {
        String name = privateKeyFile.getFileName().toString();
        String base = name.endsWith(".key") ? name.substring(0, name.length() - 4) : name;
        return privateKeyFile.resolveSibling(base + ".pub");
    }

    public static PublicKey readPublic(Path file) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(pem(Files.readString(file), "PUBLIC KEY")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit public key " + file, e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(file + " is not an Ed25519 public key", e);
        }
    }

    /** A key's id in digests: SHA-256 of its encoded public key, hex. */
    public static String keyId(PublicKey key) {
        return Hashing.sha256Hex(key.getEncoded());
    }

    static String sign(PrivateKey key, String text) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(key);
            s.update(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign an audit digest", e);
        }
    }

    static boolean verify(PublicKey key, String text, String signature) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key);
            s.update(text.getBytes(StandardCharsets.UTF_8));
            return s.verify(Base64.getDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] pem(String text, String type) {
        String body = text.replace("-----BEGIN " + type + "-----", "").replace("-----END " + type + "-----", "")
                .replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }

    private static String toPem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
