package dev.coffer.server.iam;

/**
 * A compiled policy and where it came from, so a decision can say which statement decided it.
 *
 * @param source e.g. {@code arn:aws:iam::aws:policy/AdministratorAccess},
 *               {@code arn:aws:iam::123456789012:user/alice#inline/ReadStripe},
 *               {@code arn:aws:secretsmanager:…:secret:x#resource-policy}
 */
public record NamedPolicy(String source, PolicyDocument document) {}
