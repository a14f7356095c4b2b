package dev.coffer.bench;
