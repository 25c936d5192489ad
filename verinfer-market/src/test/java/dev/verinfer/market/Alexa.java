package dev.verinfer.market;

import dev.verinfer.codec.MalformedProofException;
import dev.verinfer.model.CompiledModel;
import dev.verinfer.model.RealModels;
import dev.verinfer.model.inputs.NamedInput;
import dev.verinfer.model.inputs.RealInputs;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QuantConfig;
import dev.verinfer.zkml.Proof;
import dev.verinfer.zkml.Prover;
import dev.verinfer.zkml.ProvingKey;
import dev.verinfer.zkml.Setup;

import java.util.List;

/**
 * alexa_v0.1 compiled and set up once per test JVM, with one input, its honest proof, and a
 * cheat: the output altered before proving (its proof does not verify).
 */
final class Alexa {
    final ProvingKey provingKey;
    final byte[] verifyingKey;
    final byte[] input;
    final byte[] output;
    final byte[] honestProof;
    final byte[] wrongOutput;
    final byte[] wrongProof;

    private static Alexa instance;

    private Alexa() throws MalformedProofException {
        NamedInput calibration = RealInputs.embeddings(1);
        CompiledModel compiled = CompiledModel.compile(RealModels.ALEXA.path(), calibration.shapes(), List.of(calibration.values()), QuantConfig.DEFAULT);
        provingKey = Setup.setup(compiled.quant());
        verifyingKey = provingKey.verifyingKey().toBytes();
        NamedInput in = RealInputs.embeddings(2);
        Proof proof = Prover.prove(provingKey, IntegerExecutor.execute(compiled.quant(), in.values()));
        honestProof = proof.bytes();
        input = StatementCodec.encode(proof.statement().inputs());
        output = StatementCodec.encode(proof.statement().outputs());
        Execution cheat = IntegerExecutor.execute(compiled.quant(), in.values());
        cheat.values()[compiled.quant().outputs().getFirst()][0] += 1;
        wrongProof = Prover.prove(provingKey, cheat).bytes();
        wrongOutput = StatementCodec.encode(Proof.fromBytes(wrongProof).statement().outputs());
    }

    static synchronized Alexa get() throws MalformedProofException {
        if (instance == null) {
            instance = new Alexa();
        }
        return instance;
    }
}
