package dev.verinfer.zkml;

import dev.verinfer.eth.TableCode;
import dev.verinfer.eth.VerifierSession;
import dev.verinfer.logup.LogUpShape;
import dev.verinfer.model.quant.QuantGraph;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToLongFunction;
import java.util.stream.LongStream;

/**
 * Compiles a verifying key into the key ZkmlVerifierSession registers (docs/ethereum.md, "The
 * verification session"): the flat {@code cfg} of ZkmlLookupStage (the statement's shape, the look-up
 * argument's shape, the look-up plan), the function tables' tree codes ({@link TableCode}), the layer
 * program of LayerProgram.sol ({@link EvmLayerProgram}) and its register count, the weight root, the
 * opening's arities and the WHIR parameter set. Everything here follows from the key; the session
 * hashes it into the model's vkHash.
 *
 * <p>The session verifies proofs of one inference with public inputs and outputs under a WHIR key
 * without zero knowledge: other keys are refused here with an {@link UnsupportedGraphException} (one
 * line), and batch proofs or proofs with committed inputs or outputs are refused by the session itself.
 */
public final class EvmKeyCompiler {
    /** What the session does not cover, said after a refusal. */
    static final String COVERS = "the on-chain verifier session covers keys without zero knowledge on a WHIR commitment (proven, proven-evm, proven-unique, conjectured or conjectured-evm),"
            + " proofs of one inference with public inputs and outputs (no batch proofs, no committed inputs or outputs)";

    private EvmKeyCompiler() {}

    /** The session's key of {@code key}; an UnsupportedGraphException when the session does not cover it. */
    public static VerifierSession.KeyParts compile(VerifyingKey key) {
        if (key.zeroKnowledge()) {
            throw new UnsupportedGraphException("a zero-knowledge key (compile's default) is not supported: " + COVERS
                    + "; compile the model with 'verinfer compile --no-zk' for a plain key");
        }
        int soundness = switch (key.security()) {
            case PROVEN -> VerifierSession.KeyParts.PROVEN;
            case PROVEN_EVM -> VerifierSession.KeyParts.PROVEN_EVM;
            case PROVEN_UNIQUE -> VerifierSession.KeyParts.PROVEN_UNIQUE;
            case CONJECTURED -> VerifierSession.KeyParts.CONJECTURED;
            case CONJECTURED_EVM -> VerifierSession.KeyParts.CONJECTURED_EVM;
            case TENSOR_PROVEN, TENSOR_CONJECTURED -> throw new UnsupportedGraphException("a key on the " + key.security().label() + " commitment is not supported: " + COVERS);
        };
        if (key.plan().tables.isEmpty()) {
            throw new UnsupportedGraphException("a model without look-ups is not supported: the session's first stage is the look-up argument");
        }
        EvmLayerProgram.Compiled program = EvmLayerProgram.compile(key);
        List<BigInteger> cfg = LongStream.concat(Arrays.stream(statementShape(key)), Arrays.stream(lookupPlan(key)))
                .mapToObj(v -> new BigInteger(Long.toUnsignedString(v))).toList();
        return new VerifierSession.KeyParts(key.modelId(), cfg, functionTables(key), program.code(), program.registers(), key.weightRoot(),
                key.weightVars(), key.plan().witnessPacking.numVars(), soundness);
    }

    /**
     * The first part of {@code cfg} (LogUpHarness's whole configuration): per public input its size and
     * bits, per output its size, bits and variables, each list after its count; then the look-up
     * argument's shape: per table (columns, variables), per group (variables, selector, table).
     */
    static long[] statementShape(VerifyingKey key) {
        QuantGraph g = key.graph();
        List<long[]> parts = new ArrayList<>();
        parts.add(new long[] {g.inputs().size()});
        parts.add(perTensor(g.inputs(), i -> g.tensor(i).size()));
        parts.add(perTensor(g.inputs(), i -> g.tensor(i).bits()));
        parts.add(new long[] {g.outputs().size()});
        parts.add(perTensor(g.outputs(), i -> g.tensor(i).size()));
        parts.add(perTensor(g.outputs(), i -> g.tensor(i).bits()));
        parts.add(perTensor(g.outputs(), i -> key.plan().shapes[i].numVars()));
        LogUpShape s = LookupPhase.shape(key.plan().tables);
        parts.add(new long[] {s.tables().size()});
        parts.add(s.tables().stream().mapToLong(LogUpShape.TableShape::numColumns).toArray());
        parts.add(s.tables().stream().mapToLong(LogUpShape.TableShape::numVars).toArray());
        parts.add(new long[] {s.groups().size()});
        parts.add(s.groups().stream().mapToLong(LogUpShape.GroupShape::numVars).toArray());
        parts.add(s.groups().stream().mapToLong(gs -> gs.hasSelector() ? 1 : 0).toArray());
        parts.add(s.groups().stream().mapToLong(LogUpShape.GroupShape::table).toArray());
        return parts.stream().flatMapToLong(Arrays::stream).toArray();
    }

    private static long[] perTensor(List<Integer> ids, ToLongFunction<Integer> f) {
        return ids.stream().mapToLong(f).toArray();
    }

    /**
     * The look-up plan (the rest of {@code cfg}): per group its rank, dimensions, per column the count
     * of its terms after the first; per table whether it is a function, its input minimum as a field
     * element, its tree code's length in words.
     */
    static long[] lookupPlan(VerifyingKey key) {
        List<Long> out = new ArrayList<>();
        for (ProofPlan.Table t : key.plan().tables) {
            for (ProofPlan.Group g : t.groups()) {
                out.add((long) g.shape().rank());
                for (int d = 0; d < g.shape().rank(); d++) {
                    out.add((long) g.shape().dim(d));
                }
                for (ProofPlan.Column c : g.columns()) {
                    out.add((long) c.terms().size() - 1);
                }
            }
        }
        for (ProofPlan.Table t : key.plan().tables) {
            boolean committed = key.tableCommitment().entry(t) != null; // its values opened with the weights: no tree code
            out.add(t.isRange() ? 0L : committed ? 2L : 1L);
            out.add(t.isRange() ? 0L : dev.verinfer.field.Goldilocks.fromSigned(t.function().inMin()));
            out.add(t.isRange() || committed ? 0L : TableCode.encode(paddedValues(t)).length / 8);
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * The function tables' values in table order, each padded to its 2^vars entries as the look-up argument reads it; but
     * those the key commits with its weights (TableCommitment), whose values the verifier never evaluates.
     */
    static List<long[]> functionTableValues(VerifyingKey key) {
        return key.plan().tables.stream().filter(t -> !t.isRange() && key.tableCommitment().entry(t) == null).map(EvmKeyCompiler::paddedValues).toList();
    }

    /** The uncommitted function tables' tree codes in table order. */
    static byte[] functionTables(VerifyingKey key) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        functionTableValues(key).forEach(v -> out.writeBytes(TableCode.encode(v)));
        return out.toByteArray();
    }

    private static long[] paddedValues(ProofPlan.Table t) {
        return Arrays.copyOf(ProverTensors.toField(t.function().values()), 1 << t.numVars());
    }
}
