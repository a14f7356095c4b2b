/**
 * Principals, and the IAM policy language with AWS's evaluation logic. Pure Java: imports
 * nothing else of Coffer (ArchitectureTest).
 *
 * <p>One job per file:
 * <ul>
 *   <li>{@link dev.coffer.server.iam.PolicyDocument} — a compiled document (public: parse, json,
 *       statementIds, statements, conditionKeys); per-action index of candidate statements.</li>
 *   <li>{@code PolicyParser} — grammar and validation in IAM's passes and messages.</li>
 *   <li>{@link dev.coffer.server.iam.PolicyStatement} — one compiled statement (public read-only view;
 *       package-private matching).</li>
 *   <li>{@code Wildcard} — {@code *}/{@code ?} matching without regex; IAM's segment-wise ARN matching.</li>
 *   <li>{@code PolicyText} — policy variables ({@code ${aws:username}}, defaults, {@code ${*}} escapes).</li>
 *   <li>{@code Condition}, {@code ConditionOperator}, {@code IpRange}, {@code PolicyDates} — condition
 *       operators, set qualifiers, IfExists, and their value types.</li>
 *   <li>{@code PrincipalMatcher} — Principal / NotPrincipal.</li>
 *   <li>{@code RequestContext} — case-insensitive condition-key lookup.</li>
 *   <li>{@link dev.coffer.server.iam.PolicyEvaluator} — explicit deny, same- and cross-account
 *       evaluation, permissions boundaries, session policies.</li>
 * </ul>
 */
package dev.coffer.server.iam;
