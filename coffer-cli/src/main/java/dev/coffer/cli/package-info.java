package dev.coffer.cli;
