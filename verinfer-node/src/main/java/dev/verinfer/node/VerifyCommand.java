package dev.verinfer.node;

import dev.verinfer.zkml.PublicStatement;
import dev.verinfer.zkml.VerificationResult;
import dev.verinfer.zkml.Verifier;
import dev.verinfer.zkml.VerifyingKey;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

@Command(name = "verify", mixinStandardHelpOptions = true, header = "Check a proof and print its statement (exit 0 valid, 1 invalid).",
        description = "Check a proof against a model's verifying key and print its statement. Exit code 0: valid; 1: invalid (the reason is printed) or the statement differs from --input/--output; 2: usage or I/O error.")
final class VerifyCommand extends BaseCommand {
    static final class Key {
        @Option(names = {"-m", "--model"}, required = true, paramLabel = "DIR", description = "Model directory (uses its verifying.key).")
        Path model;

        @Option(names = "--vk", required = true, paramLabel = "FILE", description = "A verifying key file.")
        Path vk;

        VerifyingKey load() {
            return model != null ? ModelDir.open(model).verifyingKey() : ModelDir.readVerifyingKey(vk);
        }

        /** The key's file: a rotated zero-knowledge model's chain is beside it ({@link ModelDir#rotations}). */
        Path file() {
            return model != null ? model.resolve(ModelDir.VERIFYING_KEY) : vk;
        }
    }

    @ArgGroup(multiplicity = "1")
    Key key;

    @Option(names = {"-p", "--proof"}, required = true, paramLabel = "FILE", description = "The proof file.")
    Path proofFile;

    @Option(names = {"-i", "--input"}, paramLabel = "FILE", description = "Also check that the proof is about this input (quantised with the key's scales).")
    Path input;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Also check that the proof states this output (e.g. the file 'verinfer run -o' wrote).")
    Path output;

    @Override int run(Console console) {
        VerifyingKey vk = key.load();
        dev.verinfer.zkml.WeightRotations chain = vk.zeroKnowledge() ? ModelDir.rotations(key.file(), vk) : null;
        byte[] proof = FileIO.read(proofFile, "proof");
        List<TensorInfo> inputs = TensorInfo.inputs(vk.graph()), outputs = TensorInfo.outputs(vk.graph());
        var givenInput = input == null ? null : TensorFiles.read(input, TensorInfo.specs(inputs), "input_data");
        var givenOutput = output == null ? null : TensorFiles.read(output, TensorInfo.specs(outputs), "output_data");
        long t0 = System.nanoTime();
        dev.verinfer.zkml.WeightRotations.Verified checked = chain == null ? null : chain.verify(vk, proof);
        VerificationResult r = checked == null ? Verifier.verify(vk, proof) : checked.result();
        double millis = (System.nanoTime() - t0) / 1e6;
        PublicStatement st = r.statement();
        String reason = r.valid() ? null : r.reason();
        if (reason == null && givenInput != null) reason = StatementCheck.mismatch(givenInput, inputs, st.inputs(), "input");
        if (reason == null && givenOutput != null) reason = StatementCheck.mismatch(givenOutput, outputs, st, vk.security(), vk.zeroKnowledge(), "output");

        console.line("proof      %s (%s)", proofFile, Sizes.bytes(proof.length));
        List<TensorValues> stIn = st == null ? List.of() : TensorValues.of(inputs, st.inputs());
        List<TensorValues> stOut = st == null ? List.of() : TensorValues.of(outputs, publicOnly(st.outputs(), st.outputRoots()));
        if (st != null) {
            console.line("model id   %s%s", st.modelIdHex(), st.modelIdHex().equals(vk.modelIdHex()) ? "" : " (the key's is " + vk.modelIdHex() + ")");
            console.line("reveals    %s%s", vk.zeroKnowledge() ? "zero-knowledge: " : "not zero-knowledge (a --no-zk key): ", vk.reveals());
            if (chain != null && chain.epoch() > 0) {
                console.line("weights    %s", checked.epoch() >= 0 ? "opened under the commitment of rotation epoch " + checked.epoch() + " of " + chain.epoch()
                        : "under no commitment of the " + (chain.epoch() + 1) + " of the rotation chain (the current epoch's reason below)");
            }
            stIn.forEach(t -> console.line("input      %s", t.describe()));
            stOut.forEach(t -> console.line("output     %s", t.describe()));
            for (int i = 0; i < st.outputRoots().size(); i++) {
                if (st.outputCommitted(i)) {
                    console.line("output     %d committed: %s", i, java.util.HexFormat.of().formatHex(st.outputRoots().get(i)));
                }
            }
        }
        if (reason == null) console.line("result     VALID (verified in %.1f ms)", millis);
        else console.line("result     INVALID: %s", reason);
        console.result(new Report(reason == null, reason, st == null ? null : st.modelIdHex(), vk.modelIdHex(), vk.zeroKnowledge(), vk.reveals(), stIn, stOut,
                millis));
        return reason == null ? ExitCodes.OK : ExitCodes.INVALID;
    }

    /** The public vectors only (committed ones are shown by their commitment). */
    private static List<long[]> publicOnly(List<long[]> values, List<byte[]> roots) {
        java.util.ArrayList<long[]> out = new java.util.ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            if (roots.get(i).length == 0) {
                out.add(values.get(i));
            }
        }
        return out;
    }

    record Report(boolean valid, String reason, String statedModelId, String keyModelId, boolean zeroKnowledge, String proofReveals, List<TensorValues> inputs, List<TensorValues> outputs,
                  double verifyMillis) {}
}
