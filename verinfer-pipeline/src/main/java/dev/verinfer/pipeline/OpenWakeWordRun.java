package dev.verinfer.pipeline;

/**
 * The integer values an openWakeWord chain hands on and outputs: the mel windows (mel step's
 * outputs), one embedding per window, and the classifier's raw score, each at its step's scale.
 */
public record OpenWakeWordRun(long[][] windows, long[][] embeddings, long[] score) {}
