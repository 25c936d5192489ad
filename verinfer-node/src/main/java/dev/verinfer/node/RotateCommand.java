package dev.verinfer.node;

import dev.verinfer.zkml.ProvingKey;
import dev.verinfer.zkml.WeightOpeningLedger;
import dev.verinfer.zkml.WeightRotations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

@Command(name = "rotate", mixinStandardHelpOptions = true, header = "Rotate a zero-knowledge model's weight commitment (same model id).",
        description = "Commit the weights of a zero-knowledge model again, hiding, with fresh masks, and prove in zero knowledge that the new commitment"
                + " holds the same weights; the link is appended to verifying.key.rotations. The model keeps its id and verifying key; proofs made"
                + " under any commitment of the chain verify against the key and the chain. Spends " + WeightRotations.UNITS + " units of the"
                + " current commitment's opening budget (a proof never takes those last units) and starts the new one at " + WeightRotations.UNITS
                + ". The rotation proof reveals nothing about the weights (docs/proof-system.md, \"Rotation of the registered weight commitment\").")
final class RotateCommand extends BaseCommand {
    @Option(names = {"-m", "--model"}, required = true, paramLabel = "DIR", description = "Model directory of a zero-knowledge model written by 'verinfer compile'.")
    Path model;

    @Override int run(Console console) {
        ModelDir dir = ModelDir.open(model);
        WeightRotations.Rotated r;
        try (Progress p = console.progress("loading the proving key")) {
            ProvingKey pk = dir.provingKey();
            if (!pk.verifyingKey().zeroKnowledge()) {
                throw new CliException(ExitCodes.USAGE, model + " is not a zero-knowledge model (it was compiled with --no-zk): its weight commitment is not hiding and does not rotate");
            }
            p.step("rotating the weight commitment");
            r = dir.rotate(pk);
        }
        report(console, r, dir.openings(r.key().verifyingKey()));
        console.result(new Report(r.key().verifyingKey().modelIdHex(), r.chain().epoch(), java.util.HexFormat.of().formatHex(r.chain().root(r.chain().epoch())),
                r.proofBytes(), r.millis()));
        return ExitCodes.OK;
    }

    static void report(Console console, WeightRotations.Rotated r, WeightOpeningLedger.Count c) {
        console.line("rotated    weight commitment to epoch %d in %.2f s (rotation proof %s, in %s)", r.chain().epoch(), r.millis() / 1e3,
                Sizes.bytes(r.proofBytes()), ModelDir.ROTATIONS);
        console.line("model id   %s (unchanged)", r.key().verifyingKey().modelIdHex());
        console.line("openings   %d of %d weight opening units used at epoch %d, %d left", c.units(), c.unitBudget(), c.epoch(), c.unitBudget() - c.units());
    }

    record Report(String modelId, int epoch, String weightRoot, int proofBytes, double millis) {}
}
