package dev.verinfer.pipeline;

import dev.verinfer.zkml.VerifyingKey;

/** One step of a chain: a name for messages and the verifying key its proof must verify against (its model id). */
public record ChainStep(String name, VerifyingKey key) {}
