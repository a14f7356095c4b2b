package dev.coffer.crypto;
