package dev.coffer.server.iam;

/**
 * One evaluation with everything that went into it: the question (with its full request
 * context), the policies consulted, and the answer. The policy simulator reports from it which
 * statements matched and which condition keys the request lacked.
 */
public record Evaluation(AccessRequest request, PolicySet policies, Decision decision) {}
