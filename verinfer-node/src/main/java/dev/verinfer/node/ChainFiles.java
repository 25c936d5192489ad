package dev.verinfer.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verinfer.pipeline.ChainProof;
import dev.verinfer.pipeline.ChainStep;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A proven chain on disk: {@code chain.json} (the models in chain order with their verifying-key
 * files and ids, the proof files in step order, the input's name), {@code keys/NAME.vk},
 * {@code proofs/NN-STEP.bin}.
 */
record ChainFiles(Path dir) {
    static final String MANIFEST = "chain.json";

    record Model(String name, String key, String modelId) {}

    record Manifest(String input, List<Model> models, List<String> proofs) {}

    /** Writes the models' verifying keys ({@code keys/NAME.vk}) as soon as they are set up, before any proof is made. */
    List<Model> writeKeys(List<ChainStep> models) {
        List<Model> ms = new ArrayList<>();
        for (ChainStep m : models) {
            String key = "keys/" + m.name() + ".vk";
            FileIO.write(dir.resolve(key), m.key().toBytes(), "verifying key");
            ms.add(new Model(m.name(), key, m.key().modelIdHex()));
        }
        return ms;
    }

    /** Writes the proofs ({@code proofs/NN-STEP.bin}) and then {@code chain.json} naming them and the keys {@link #writeKeys} wrote. */
    void writeProofs(List<Model> keys, ChainProof proof, String input) {
        List<String> proofs = new ArrayList<>();
        for (int s = 0; s < proof.steps().size(); s++) {
            String file = String.format("proofs/%02d-%s.bin", s, proof.steps().get(s).step().replaceAll("[^A-Za-z0-9_.-]+", "_"));
            FileIO.write(dir.resolve(file), proof.steps().get(s).proof().bytes(), "proof");
            proofs.add(file);
        }
        FileIO.write(dir.resolve(MANIFEST), Json.bytes(new Manifest(input, keys, proofs)), "chain manifest");
    }

    Manifest manifest() {
        Path file = dir.resolve(MANIFEST);
        try {
            JsonNode n = Json.MAPPER.readTree(FileIO.read(file, "chain manifest"));
            List<Model> models = new ArrayList<>();
            for (JsonNode x : n.required("models")) {
                String name = x.required("name").asText();
                if (!name.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*")) {
                    throw new IllegalArgumentException("model name '" + name + "' is not a plain file name");
                }
                models.add(new Model(name, x.required("key").asText(), x.path("modelId").asText()));
            }
            List<String> proofs = new ArrayList<>();
            n.required("proofs").forEach(p -> proofs.add(p.asText()));
            return new Manifest(n.path("input").asText(), models, proofs);
        } catch (IOException | IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, file + " is not a valid chain manifest: " + e.getMessage(), e);
        }
    }

    /** The manifest's models with their verifying keys: from {@code keys/NAME.vk} when {@code keys} is given, else the manifest's files. */
    List<ChainStep> models(Manifest m, Path keys) {
        return m.models().stream().map(x -> new ChainStep(x.name(),
                ModelDir.readVerifyingKey(keys != null ? keys.resolve(x.name() + ".vk") : dir.resolve(x.key())))).toList();
    }

    List<byte[]> proofs(Manifest m) {
        return m.proofs().stream().map(p -> FileIO.read(dir.resolve(p), "proof")).toList();
    }
}
