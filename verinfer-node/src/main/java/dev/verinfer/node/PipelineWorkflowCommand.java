package dev.verinfer.node;

import dev.verinfer.model.RealModels;
import dev.verinfer.model.inputs.NamedInput;
import dev.verinfer.model.inputs.RealInputs;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.pipeline.OpenWakeWordPipeline;
import dev.verinfer.zkml.ProvingKey;
import dev.verinfer.zkml.WeightOpeningLedger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "workflow", mixinStandardHelpOptions = true, header = "Compile the openWakeWord chain and write it as a market workflow (no proofs).",
        description = {"Writes to --dir the chain's three model directories (mel, embedding, classifier: register them with 'market register-model' and serve",
                "them with 'market prover --models DIR --tensors STORE'), the audio as the mel step's input (audio.json), and workflow.json: the mel step",
                "on the audio, one embedding step per window on the mel step's committed output, the classifier on the committed embeddings",
                "('market workflow submit DIR/workflow.json'; 'market workflow status ID --model DIR/classifier' shows the score)."})
final class PipelineWorkflowCommand extends BaseCommand {
    @Option(names = "--classifier", paramLabel = "MODEL", defaultValue = "alexa_v0.1", description = "The wake-word classifier: alexa_v0.1 or hey_mycroft_v0.1 (default: ${DEFAULT-VALUE}).")
    String classifier;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "2", description = "Seed of the synthetic speech to submit (default: ${DEFAULT-VALUE}; seed 1 calibrates).")
    long seed;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Where to write the model directories, audio.json and workflow.json.")
    Path dir;

    @Option(names = "--max-fee", defaultValue = "2000", paramLabel = "N", description = "Each step's max fee (default: ${DEFAULT-VALUE}).")
    long maxFee;

    @Option(names = "--pcs-security", defaultValue = "proven", paramLabel = "proven|proven-evm|proven-unique|conjectured|conjectured-evm|tensor-proven|tensor-conjectured", description = PcsSecurityOption.DESCRIPTION)
    String security;

    // Named by its negative form: picocli sets a negatable option that is true by default to false by its negated name (--no-zk), true by the other (--zk).
    @Option(names = "--no-zk", negatable = true, defaultValue = "true",
            description = {"Zero-knowledge keys, the default (as 'compile'): private models, so the market takes their steps in ZK mode only and the",
                    "committed windows and embeddings are hiding roots (each with its opening count, proving.key.openings, beside the key).",
                    "--no-zk: plain keys (as 'compile --no-zk'): compiled and proven several times faster, their proofs reveal linear information about",
                    "the weights and activations."})
    boolean zeroKnowledge;

    @Override int run(Console console) {
        var pcsSecurity = PcsSecurityOption.parse(security);
        if (zeroKnowledge) ModelCompiler.requireHiding(pcsSecurity);
        RealModels cls = java.util.stream.Stream.of(RealModels.ALEXA, RealModels.HEY_MYCROFT).filter(m -> m.modelName.equals(classifier)).findFirst()
                .orElseThrow(() -> new CliException(ExitCodes.USAGE, "--classifier must be alexa_v0.1 or hey_mycroft_v0.1, not " + classifier));
        try (Progress p = console.progress(zeroKnowledge ? "compiling the chain in zero knowledge (the default; --no-zk: plain keys, in far less time and memory)"
                : "compiling the chain")) {
            OpenWakeWordPipeline pipeline = OpenWakeWordPipeline.compile(RealModels.MELSPECTROGRAM.path(), RealModels.EMBEDDING.path(), cls.path(),
                    RealInputs.audio(1).values().get("input"), pcsSecurity, zeroKnowledge);
            int windows = pipeline.windows();
            List<String> names = List.of("mel", "embedding", "classifier");
            for (int m = 0; m < 3; m++) {
                ProvingKey key = pipeline.provingKey(m == 0 ? 0 : m == 1 ? 1 : windows + 1);
                Path model = dir.resolve(names.get(m));
                FileIO.write(model.resolve(ModelDir.PROVING_KEY), key.toBytes(), "proving key");
                FileIO.write(model.resolve(ModelDir.VERIFYING_KEY), key.verifyingKey().toBytes(), "verifying key");
                if (zeroKnowledge) {
                    WeightOpeningLedger.create(model.resolve(ModelDir.OPENINGS), key); // after the verifying key, as ModelDir.write
                }
                console.line("model      %-11s %s%s", names.get(m), key.verifyingKey().modelIdHex(), zeroKnowledge ? " (zero knowledge; --no-zk: plain)" : " (no zero knowledge)");
            }
            NamedInput audio = RealInputs.audio(seed);
            QuantGraph mel = pipeline.provingKey(0).graph();
            FileIO.write(dir.resolve("audio.json"), Json.bytes(Map.of(mel.tensor(mel.inputs().getFirst()).name(), audio.values().get("input"))), "audio");
            List<Map<String, Object>> steps = new ArrayList<>();
            steps.add(step("mel", "mel", Map.of("input", "audio.json")));
            for (int k = 0; k < windows; k++) {
                steps.add(step("window" + k, "embedding", Map.of("inputs", List.of(Map.of("step", "mel", "output", k)))));
            }
            List<Map<String, Object>> embeddings = new ArrayList<>();
            for (int k = 0; k < windows; k++) embeddings.add(Map.of("step", "window" + k, "output", 0));
            steps.add(step("classifier", "classifier", Map.of("inputs", embeddings)));
            Map<String, Object> workflow = new LinkedHashMap<>();
            workflow.put("deadlineSeconds", 3600);
            workflow.put("steps", steps);
            FileIO.write(dir.resolve("workflow.json"), Json.bytes(workflow), "workflow");
            console.line("workflow   %s: %d steps on %s (%s)", dir.resolve("workflow.json"), steps.size(), audio.name(), dir.resolve("audio.json"));
            console.result(Map.of("dir", dir.toString(), "steps", steps.size()));
            return ExitCodes.OK;
        }
    }

    private Map<String, Object> step(String name, String model, Map<String, Object> input) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", name);
        s.put("model", model);
        s.putAll(input);
        s.put("maxFee", maxFee);
        s.put("mode", "zk");
        return s;
    }
}
