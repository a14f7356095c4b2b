/**
 * Coffer's cryptography, built only on the JDK's JCA (AES-GCM, HmacSHA256, SHA-256, SecureRandom).
 *
 * <p>The API is deliberately small and hard to misuse: sealed byte strings carry everything needed to open them,
 * every failure to decrypt is the same {@link dev.coffer.crypto.DecryptionFailedException}, and key material lives
 * in {@link dev.coffer.crypto.SecretBytes} so it can be wiped. The AWS Signature Version 4 classes here are shared by
 * the server (verifying) and our own clients (signing), so both sides canonicalise requests with the same code.
 */
package dev.coffer.crypto;
