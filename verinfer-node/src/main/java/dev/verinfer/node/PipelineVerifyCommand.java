package dev.verinfer.node;

import dev.verinfer.model.RealModels;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.pipeline.ChainSpec;
import dev.verinfer.pipeline.ChainStep;
import dev.verinfer.pipeline.ChainVerdict;
import dev.verinfer.pipeline.ChainVerifier;
import dev.verinfer.pipeline.OpenWakeWordPipeline;
import dev.verinfer.pipeline.StepVerdict;
import dev.verinfer.zkml.PublicStatement;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

@Command(name = "verify", mixinStandardHelpOptions = true, header = "Check a proven openWakeWord chain (exit 0 valid, 1 invalid).",
        description = "Checks every step's proof against its verifying key and every link (each step's committed input is the previous step's committed output), "
                + "from the files 'verinfer pipeline prove' wrote, and prints the proven score.")
final class PipelineVerifyCommand extends BaseCommand {
    @Option(names = "--dir", paramLabel = "DIR", description = "The chain's directory (default: .cache/pipeline in the repository).")
    Path dir;

    @Option(names = "--keys", paramLabel = "DIR", description = "Verifying keys you trust, as NAME.vk for the chain's three models (default: the keys the prover wrote next to "
            + "the proofs; then compare the printed model ids with the published ones).")
    Path keys;

    /** The first committed output's root, abbreviated (how the step hands its output on). */
    private static String firstRoot(PublicStatement st) {
        for (int i = 0; st != null && i < st.outputRoots().size(); i++) {
            if (st.outputCommitted(i)) {
                return "  output root " + HexFormat.of().formatHex(st.outputRoots().get(i)).substring(0, 16) + "…";
            }
        }
        return "";
    }

    record Report(boolean valid, String reason, List<String> modelIds, double score, double verifyMillis) {}

    @Override int run(Console console) {
        ChainFiles files = new ChainFiles(dir != null ? dir : RealModels.repoRoot().resolve(".cache/pipeline"));
        ChainFiles.Manifest m = files.manifest();
        List<ChainStep> models = files.models(m, keys);
        ChainSpec spec;
        try {
            spec = OpenWakeWordPipeline.chain(models);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "the keys in " + files.dir() + " do not form an openWakeWord chain: " + e.getMessage(), e);
        }
        models.forEach(x -> console.line("model      %-22s %s", x.name(), x.key().modelIdHex()));
        ChainVerdict v = ChainVerifier.verify(spec, files.proofs(m));
        for (StepVerdict s : v.steps()) {
            console.line("step       %-22s %s %6.1f ms%s", s.step(), s.result().valid() ? "valid" : "INVALID", s.verifyNanos() / 1e6, firstRoot(s.result().statement()));
        }
        double score = Double.NaN;
        if (v.valid()) {
            QuantGraph cls = models.getLast().key().graph();
            score = Math.scalb((double) v.finalOutputs().getFirst()[0], -cls.tensor(cls.outputs().getFirst()).scale());
            console.line("score      %.5f on %s (proven; the audio is the first step's public input)", score, m.input());
            console.line("result     VALID (%d proofs verified in %.0f ms)", v.steps().size(), v.totalVerifyNanos() / 1e6);
        } else {
            console.line("result     INVALID: %s", v.reason());
        }
        console.result(new Report(v.valid(), v.reason(), models.stream().map(x -> x.key().modelIdHex()).toList(), score, v.totalVerifyNanos() / 1e6));
        return v.valid() ? ExitCodes.OK : ExitCodes.INVALID;
    }
}
