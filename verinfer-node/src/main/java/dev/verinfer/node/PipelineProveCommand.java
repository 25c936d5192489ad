package dev.verinfer.node;

import dev.verinfer.model.RealModels;
import dev.verinfer.model.inputs.NamedInput;
import dev.verinfer.model.inputs.RealInputs;
import dev.verinfer.pipeline.ChainProof;
import dev.verinfer.pipeline.ChainVerdict;
import dev.verinfer.pipeline.OpenWakeWordPipeline;
import dev.verinfer.pipeline.StepProof;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

@Command(name = "prove", mixinStandardHelpOptions = true, header = "Compile the three openWakeWord models, prove the chain on synthetic speech, verify it.",
        description = "Fetches melspectrogram, embedding_model and the classifier, compiles them as one chain (calibrated on synthetic speech seed 1), "
                + "proves every step on synthetic speech (--seed), verifies the chain and writes keys, proofs and chain.json to --dir "
                + "(check them with 'verinfer pipeline verify --dir DIR'). In zero knowledge (the default) 6-9 minutes on 2 cores within the default heap (6 GB peak; README); with --no-zk about a minute.")
final class PipelineProveCommand extends BaseCommand {
    @Option(names = "--classifier", paramLabel = "MODEL", defaultValue = "alexa_v0.1", description = "The wake-word classifier: alexa_v0.1 or hey_mycroft_v0.1 (default: ${DEFAULT-VALUE}).")
    String classifier;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "2", description = "Seed of the synthetic speech to prove on (default: ${DEFAULT-VALUE}; seed 1 calibrates).")
    long seed;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where to write the chain (default: .cache/pipeline in the repository).")
    Path dir;

    @Option(names = "--pcs-security", defaultValue = "proven", paramLabel = "proven|proven-evm|proven-unique|conjectured|conjectured-evm|tensor-proven|tensor-conjectured", description = PcsSecurityOption.DESCRIPTION)
    String security;

    // Named by its negative form: picocli sets a negatable option that is true by default to false by its negated name (--no-zk), true by the other (--zk).
    @Option(names = "--no-zk", negatable = true, defaultValue = "true",
            description = {"Zero-knowledge keys and proofs, the default (as 'compile'): the windows, embeddings and weights stay private (each link a hiding "
                    + "commitment made by its producer's proof and opened by its consumer's); the audio and the score are public.",
                    "--no-zk: plain keys and proofs (as 'compile --no-zk'): the links are binding commitments and the proofs reveal linear information "
                    + "about the weights and activations, but the chain proves 3-6x faster in 2.4x fewer bytes (README: 3.3 MB in 47 s against 8.0 MB in 155-297 s) and compiles in seconds, not minutes."})
    boolean zeroKnowledge;

    record StepReport(String step, String modelId, double proveMillis, long proofBytes) {}

    record Report(String input, List<StepReport> steps, boolean valid, String reason, double score, double verifyMillis) {}

    @Override int run(Console console) {
        var pcsSecurity = PcsSecurityOption.parse(security);
        if (zeroKnowledge) ModelCompiler.requireHiding(pcsSecurity);
        RealModels cls = java.util.stream.Stream.of(RealModels.ALEXA, RealModels.HEY_MYCROFT).filter(m -> m.modelName.equals(classifier)).findFirst()
                .orElseThrow(() -> new CliException(ExitCodes.USAGE, "--classifier must be alexa_v0.1 or hey_mycroft_v0.1, not " + classifier));
        Path work = dir != null ? dir : RealModels.repoRoot().resolve(".cache/pipeline");
        NamedInput audio = RealInputs.audio(seed);
        try (Progress p = console.progress(zeroKnowledge ? "compiling the chain in zero knowledge (the default; --no-zk: plain keys, in far less time and memory)"
                : "compiling the chain")) {
            long t0 = System.nanoTime();
            OpenWakeWordPipeline pipeline = OpenWakeWordPipeline.compile(RealModels.MELSPECTROGRAM.path(), RealModels.EMBEDDING.path(), cls.path(),
                    RealInputs.audio(1).values().get("input"), pcsSecurity, zeroKnowledge);
            console.line("compile    %.1f s  3 models (mel step, embedding, classifier step), %d steps%s", (System.nanoTime() - t0) / 1e9, pipeline.spec().steps().size(),
                    zeroKnowledge ? ", zero knowledge (--no-zk: plain keys)" : ", no zero knowledge (--no-zk)");
            pipeline.models().forEach(m -> console.line("model      %-20s %s", m.name(), m.key().modelIdHex()));
            List<ChainFiles.Model> keys = new ChainFiles(work).writeKeys(pipeline.models());
            p.step("proving " + pipeline.spec().steps().size() + " steps");
            ChainProof proof = pipeline.prove(audio.values().get("input"));
            List<StepReport> steps = new ArrayList<>();
            for (StepProof s : proof.steps()) {
                console.line("prove      %-22s %8.2f s  %s", s.step(), s.proveNanos() / 1e9, Sizes.bytes(s.proof().size()));
                steps.add(new StepReport(s.step(), s.proof().statement().modelIdHex(), s.proveNanos() / 1e6, s.proof().size()));
            }
            p.step("verifying the chain");
            ChainVerdict v = pipeline.verify(proof);
            new ChainFiles(work).writeProofs(keys, proof, audio.name());
            double score = v.valid() ? pipeline.score(v.finalOutputs().getFirst()[0]) : Double.NaN;
            console.line("total      prove %.1f s, %s in %d proofs -> %s", proof.totalProveNanos() / 1e9, Sizes.bytes(proof.totalBytes()), proof.steps().size(), work);
            console.line("verify     %s (%.0f ms)", v.valid() ? "VALID" : "INVALID: " + v.reason(), v.totalVerifyNanos() / 1e6);
            if (v.valid()) {
                console.line("score      %.5f on %s (%s)", score, audio.name(), score >= 0.5 ? "wake word heard" : "wake word not heard");
            }
            console.result(new Report(audio.name(), steps, v.valid(), v.reason(), score, v.totalVerifyNanos() / 1e6));
            return v.valid() ? ExitCodes.OK : ExitCodes.INVALID;
        }
    }
}
