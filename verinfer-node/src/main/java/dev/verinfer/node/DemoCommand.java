package dev.verinfer.node;

import dev.verinfer.bench.model.Workload;
import dev.verinfer.field.Parallelism;
import dev.verinfer.model.OrtReference;
import dev.verinfer.model.RealModels;
import dev.verinfer.model.graph.Graph;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.zkml.PcsSecurity;
import dev.verinfer.zkml.Proof;
import dev.verinfer.zkml.Prover;
import dev.verinfer.zkml.ProvingKey;
import dev.verinfer.zkml.VerificationResult;
import dev.verinfer.zkml.Verifier;
import dev.verinfer.zkml.ZeroKnowledge;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

@Command(name = "demo", mixinStandardHelpOptions = true, header = "The whole job on a real model: fetch, compile, run, prove, verify, tamper.",
        description = "The whole job on a real model: fetch openWakeWord's alexa_v0.1, compile it (in zero knowledge, as 'compile' does by default; --no-zk for a plain key), run it on realistic input (synthetic speech through the real audio front end), prove, verify, tamper with the proof and watch the verifier reject it, then settle the inference on a market (the embedded ledger, or with --chain a market contract on a local anvil chain). Leaves the model directory, input and proof in --dir for the other commands.")
final class DemoCommand extends BaseCommand {
    private static final RealModels MODEL = RealModels.ALEXA;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where to write the demo's files (default: .cache/demo in the repository).")
    Path dir;

    @Option(names = "--chain", description = "Settle on Ethereum instead: on an anvil node the demo starts (and stops), deploy a token, the market contract and the verifier session, register the model's key, list the model, stake; a ZK request locked, proven and paid in the transaction whose call verifies the proof on chain; an OPTIMISTIC request locked, answered, watched and settled. Prints each transaction's gas.")
    boolean chain;

    @Option(names = "--zk", negatable = true, description = {"Zero knowledge, the default (as 'compile'): the weights stay hidden, the proof reveals the statement only.",
            "--no-zk: a plain key, as 'compile --no-zk' (faster: setup in seconds, the proof about half the size). '--chain' always compiles plain:",
            "its OPTIMISTIC request is checked by a watcher re-running the model, which needs the weights, and the on-chain verifier takes no zero-knowledge key."})
    Boolean zk;

    record Step(String step, String detail, double millis) {}

    record Report(String modelId, boolean zeroKnowledge, List<Step> steps, boolean honestProofValid, boolean tamperedProofsRejected, String settlement) {}

    @Override int run(Console console) {
        if (chain && Boolean.TRUE.equals(zk)) {
            throw new CliException(ExitCodes.USAGE, "--chain settles an OPTIMISTIC request, which a private (zero-knowledge) model does not take, and a ZK request verified by the on-chain verifier session, which takes no zero-knowledge key: drop --zk (the chain demo compiles with --no-zk)");
        }
        boolean zeroKnowledge = zk == null ? !chain : zk;
        Path work = dir != null ? dir : RealModels.repoRoot().resolve(".cache/demo");
        List<Step> steps = new ArrayList<>();
        console.line("verinfer demo: prove one real inference end to end");
        console.line("");
        try (Progress p = console.progress("fetching " + MODEL.modelName)) {
            Path onnx = timed(steps, console, "fetch", MODEL::path, r -> MODEL.modelName + " (openWakeWord wake-word classifier), SHA-256 checked");
            p.step("computing a realistic input");
            Workload w = timed(steps, console, "input", () -> Workload.of(MODEL),
                    r -> "synthetic speech -> melspectrogram -> speech embeddings " + java.util.Arrays.toString(r.input().shapes().values().iterator().next())
                            + " (" + r.input().name() + ")");
            FetchCommand.write(work.resolve("input.json"), w.input());
            Graph graph = OnnxFiles.read(onnx);
            ModelCompiler.Result c = timed(steps, console, "compile", () -> {
                        ModelCompiler.Result r = ModelCompiler.compile(onnx, graph, List.of(w.calibration()), PcsSecurity.PROVEN, zeroKnowledge,
                                ZeroKnowledge.WEIGHT_OPENING_BUDGET, p);
                        // A zero-knowledge key's opening count starts here and is attached to the key: the demo's proofs below are counted.
                        new ModelDir(work.resolve(MODEL.modelName)).write(r.provingKey(), r.settings());
                        return r;
                    },
                    r -> String.format("%d integer ops, %,d weights committed%s; model id %s", r.settings().quantisedOps(), r.settings().parameters(),
                            zeroKnowledge ? " (hiding)" : "", r.settings().modelId()));
            console.line("%20saccuracy vs ONNX Runtime on the calibration input: max error %.2g", "", c.settings().accuracyVsOnnxRuntime().maxAbsError());
            console.line("%20s%s", "", zeroKnowledge
                    ? "zero knowledge (the default): proofs reveal the statement only, the weights stay hidden (--no-zk: a plain key, faster)"
                    : chain ? "no zero knowledge (--no-zk): the on-chain verifier session takes no zero-knowledge key, and the OPTIMISTIC request below is"
                              + " checked by a watcher re-running the model, which needs the weights; proofs reveal linear information about the weights"
                            : "no zero knowledge (--no-zk): proofs reveal linear information about the weights and activations");
            ProvingKey pk = c.provingKey();
            Path modelDir = work.resolve(MODEL.modelName);
            TensorInfo out = c.settings().outputs().getFirst();
            p.step("running the model");
            Execution ex = timed(steps, console, "run", () -> execute(pk, w), r -> {
                float score = r.outputs().values().iterator().next()[0];
                return String.format("wake-word score %.5f (ONNX Runtime: %.5f): \"alexa\" %s", score, ortScore(onnx, w), score >= 0.5 ? "heard" : "not heard");
            });
            p.step("proving");
            Proof proof = timed(steps, console, "prove", () -> Prover.prove(pk, ex), r -> "proof of " + Sizes.bytes(r.size()) + " -> " + work.resolve("proof.bin"));
            FileIO.write(work.resolve("proof.bin"), proof.bytes(), "proof");
            p.step("verifying");
            VerificationResult ok = timed(steps, console, "verify", () -> Verifier.verify(pk.verifyingKey(), proof.bytes()),
                    r -> r.valid() ? "VALID" : "INVALID: " + r.reason());
            p.step("tampering");
            long liedScore = out.quantise(0.99f);
            byte[] lie = Tamper.claimOutput(proof.bytes(), liedScore);
            float claimed = out.dequantise(liedScore);
            VerificationResult lieResult = timed(steps, console, "tamper", () -> Verifier.verify(pk.verifyingKey(), lie),
                    r -> String.format("proof altered to claim score %.5f (\"alexa\" heard) instead of %.5f -> %s", claimed, out.dequantise(ex.value(pk.graph().outputs().getFirst())[0]), verdict(r)));
            VerificationResult flipResult = timed(steps, console, "tamper", () -> Verifier.verify(pk.verifyingKey(), Tamper.flipBodyByte(proof.bytes())),
                    r -> "one byte of the proof flipped -> " + verdict(r));
            p.step("settling");
            String settlement = chain
                    ? timed(steps, console, "settle", () -> DemoChain.settle(pk, modelDir, dev.verinfer.market.StatementCodec.encode(proof.statement().inputs()), console),
                            DemoChain.Result::describe).describe()
                    : timed(steps, console, "settle",
                    () -> DemoSettlement.settle(work.resolve("ledger"), pk.verifyingKey().toBytes(), proof.statement(), context -> Prover.prove(pk, ex, context)),
                    DemoSettlement.Result::describe).describe();
            console.line("");
            double total = steps.stream().mapToDouble(Step::millis).sum();
            console.line("total %.1f s. Files in %s: %s/ (model directory), input.json, proof.bin. Check the proof yourself:", total / 1e3, work, MODEL.modelName);
            console.line("  ./verinfer verify --model %s --proof %s --input %s", modelDir, work.resolve("proof.bin"), work.resolve("input.json"));
            boolean rejected = !lieResult.valid() && !flipResult.valid();
            console.result(new Report(pk.verifyingKey().modelIdHex(), zeroKnowledge, steps, ok.valid(), rejected, settlement));
            return ok.valid() && rejected ? ExitCodes.OK : ExitCodes.INVALID;
        }
    }

    private static String verdict(VerificationResult r) {
        return r.valid() ? "ACCEPTED (this is a bug)" : "REJECTED: " + r.reason();
    }

    private static Execution execute(ProvingKey pk, Workload w) {
        try (IntegerExecutor executor = new IntegerExecutor(Parallelism.threads())) {
            return executor.run(pk.graph(), w.input().values());
        }
    }

    private static float ortScore(Path onnx, Workload w) {
        try (OrtReference ort = new OrtReference(onnx, Parallelism.threads())) {
            return ort.run(w.input().values(), w.input().shapes()).values().iterator().next()[0];
        }
    }

    /** Runs a step, prints its line with the elapsed time, records it. */
    private static <T> T timed(List<Step> steps, Console console, String name, Supplier<T> task, java.util.function.Function<T, String> detail) {
        long t0 = System.nanoTime();
        T r = task.get();
        double millis = (System.nanoTime() - t0) / 1e6;
        String d = detail.apply(r);
        steps.add(new Step(name, d, millis));
        console.line("%-8s %7.2f s  %s", name, millis / 1e3, d);
        return r;
    }
}
