package dev.coffer.server.store;

public record TagRow(String key, String value) {}
