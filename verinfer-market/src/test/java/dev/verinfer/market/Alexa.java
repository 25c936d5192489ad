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
 * cheat: the output altered before proving (its proof does not verify). The market binds every
 * proof to its request and prover ({@link ProofContext}): {@link #proof} and {@link #wrongProof}
 * prove for one (about 0.2 s each); {@link #honestProof} is bound to no request.
 */
final class Alexa {
    final ProvingKey provingKey;
    final byte[] verifyingKey;
    final byte[] input;
    final byte[] output;
    final byte[] honestProof;
    final byte[] wrongOutput;
    private final Execution honest;
    private final Execution cheat;

    private static Alexa instance;

    private Alexa() throws MalformedProofException {
        NamedInput calibration = RealInputs.embeddings(1);
        CompiledModel compiled = CompiledModel.compile(RealModels.ALEXA.path(), calibration.shapes(), List.of(calibration.values()), QuantConfig.DEFAULT);
        provingKey = Setup.setup(compiled.quant());
        verifyingKey = provingKey.verifyingKey().toBytes();
        NamedInput in = RealInputs.embeddings(2);
        honest = IntegerExecutor.execute(compiled.quant(), in.values());
        Proof proof = Prover.prove(provingKey, honest);
        honestProof = proof.bytes();
        input = StatementCodec.encode(proof.statement().inputs());
        output = StatementCodec.encode(proof.statement().outputs());
        cheat = IntegerExecutor.execute(compiled.quant(), in.values());
        cheat.values()[compiled.quant().outputs().getFirst()][0] += 1;
        wrongOutput = StatementCodec.encode(Proof.fromBytes(Prover.prove(provingKey, cheat).bytes()).statement().outputs());
    }

    /** The honest proof for request {@code requestId} by {@code prover} on {@link MarketDriver#CHAIN}. */
    byte[] proof(long requestId, Signer prover) {
        return Prover.prove(provingKey, honest, ProofContext.request(MarketDriver.CHAIN, requestId, prover.accountId())).bytes();
    }

    /** The cheat's proof bound to {@code context}. */
    byte[] wrongProof(byte[] context) {
        return Prover.prove(provingKey, cheat, context).bytes();
    }

    /** The cheat's proof (of {@link #wrongOutput}) for request {@code requestId} by {@code prover}. */
    byte[] wrongProof(long requestId, Signer prover) {
        return wrongProof(ProofContext.request(MarketDriver.CHAIN, requestId, prover.accountId()));
    }

    static synchronized Alexa get() throws MalformedProofException {
        if (instance == null) {
            instance = new Alexa();
        }
        return instance;
    }
}
