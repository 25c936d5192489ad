package dev.verinfer.eth;

import dev.verinfer.zkml.EthProofFixture;
import dev.verinfer.zkml.PcsSecurity;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The four stage contracts of the on-chain verifier (ZkmlLookupStage, ZkmlLayerStage,
 * ZkmlOpeningStage, ZkmlFinalStage) deployed once on a chain, and their calls for one fixture's key: each stage on
 * the previous one's hand-over, by eth_call (a rejection is null; a revert that is not a clean
 * Rejected/Malformed fails the test) or eth_estimateGas.
 */
final class ProofStages {
    private static final List<TypeReference<Type>> LOOKUP_OUT = VerifierSession.outputs(new TypeReference<DynamicBytes>() {}, new TypeReference<Uint256>() {},
            new TypeReference<DynamicArray<Uint256>>() {}, new TypeReference<Uint256>() {}, new TypeReference<DynamicArray<Uint256>>() {},
            new TypeReference<Bytes32>() {});
    private static final List<TypeReference<Type>> LAYER_OUT = VerifierSession.outputs(new TypeReference<DynamicBytes>() {}, new TypeReference<Uint256>() {},
            new TypeReference<DynamicArray<Uint256>>() {}, new TypeReference<Uint256>() {});

    private final Chain chain;
    private final ChainAccount account;
    final String lookupStage;
    final String layerStage;
    final String openingStage;
    final String finalStage;

    ProofStages(Chain chain, String name) throws Exception {
        this.chain = chain;
        this.account = chain.account(name);
        lookupStage = deploy("ZkmlLookupStage");
        layerStage = deploy("ZkmlLayerStage");
        openingStage = deploy("ZkmlOpeningStage");
        finalStage = deploy("ZkmlFinalStage");
    }

    private String deploy(String contract) throws Exception {
        return account.deploy(Artifact.load(ProofStages.class, contract).bytecode(), d -> d).contractAddress();
    }


    /** Stage 1's hand-over: transcript, counter, registers, offset reached, public ranges, witness root. */
    record LookupHandover(List<Type> words) {
        Bytes32 witnessRoot() {
            return (Bytes32) words.get(5);
        }
    }

    /** Stage 2's hand-over: transcript, counter, the opening's claims (per claim its point then its value, (c0, c1) words), offset of the opening. */
    record LayerHandover(DynamicBytes transcript, Uint256 counter, List<Uint256> claims, int end) {}

    /** The key's flat {@code cfg} as ZkmlLookupStage takes it: the statement's and LogUp's shape, then the look-up plan. */
    static List<Uint256> cfg(EthProofFixture f) {
        return f.keyParts().cfg().stream().map(Uint256::new).toList();
    }

    /** ZkmlLookupStage.run's {@code to} that checks every table's claims (2^256 − 1). */
    static final java.math.BigInteger ALL_TABLES = java.math.BigInteger.ONE.shiftLeft(256).subtract(java.math.BigInteger.ONE);

    static String lookupCalldata(EthProofFixture f, byte[] proof) {
        return FunctionEncoder.encode(new Function("run", List.of(new Bytes32(f.modelId()), new DynamicArray<>(Uint256.class, cfg(f)),
                new DynamicBytes(f.functionTables()), new DynamicBytes(proof), new Uint256(ALL_TABLES)), List.of()));
    }

    static String layerCalldata(LookupHandover h, byte[] program, int registers, byte[] proof) {
        List<Type> w = h.words();
        return FunctionEncoder.encode(new Function("run", List.of(w.get(0), w.get(1), w.get(2), w.get(3), w.get(4),
                new DynamicBytes(program), new Uint256(registers), new DynamicBytes(proof)), List.of()));
    }

    /**
     * Stage 3's call: the claims list WhirOpening.readClaims takes, assembled from stage 2's claims
     * (weight claim, then witness claim) with the key's weight root and arities and stage 1's witness
     * root, and the proof from stage 2's offset on.
     */
    /** The contract's WHIR parameter set of a setting (VerifierSession.KeyParts). */
    static int parameterSet(PcsSecurity security) {
        return switch (security) {
            case PROVEN -> VerifierSession.KeyParts.PROVEN;
            case PROVEN_EVM -> VerifierSession.KeyParts.PROVEN_EVM;
            case CONJECTURED_EVM -> VerifierSession.KeyParts.CONJECTURED_EVM;
            case PROVEN_UNIQUE -> VerifierSession.KeyParts.PROVEN_UNIQUE;
            case CONJECTURED -> VerifierSession.KeyParts.CONJECTURED;
            case TENSOR_PROVEN, TENSOR_CONJECTURED -> throw new IllegalArgumentException("no WHIR parameter set for " + security.label());
        };
    }

    static String openingCalldata(EthProofFixture f, PcsSecurity security, Bytes32 witnessRoot, LayerHandover l, byte[] opening) {
        EthProofFixture.OpeningLayout layout = f.openingLayout();
        List<Uint256> c = l.claims();
        int weightWords = 2 * layout.weightVars() + 2;
        if (c.size() != weightWords + 2 * layout.witnessVars() + 2) {
            throw new AssertionError("stage 2 handed over " + c.size() + " claim words, the key's layout has " + (weightWords + 2 * layout.witnessVars() + 2));
        }
        List<Uint256> claims = new ArrayList<>();
        claims.add(new Uint256(2));
        claims.add(new Uint256(new BigInteger(1, layout.weightRoot())));
        claims.add(new Uint256(layout.weightVars()));
        claims.addAll(c.subList(0, weightWords));
        claims.add(new Uint256(new BigInteger(1, witnessRoot.getValue())));
        claims.add(new Uint256(layout.witnessVars()));
        claims.addAll(c.subList(weightWords, c.size()));
        return FunctionEncoder.encode(new Function("run", List.of(l.transcript(), l.counter(), new Uint8(parameterSet(security)),
                new DynamicArray<>(Uint256.class, claims), new DynamicBytes(opening)), List.of()));
    }

    LookupHandover lookup(EthProofFixture f, byte[] proof) {
        List<Type> out = call(lookupStage, lookupCalldata(f, proof), LOOKUP_OUT);
        return out == null ? null : new LookupHandover(out);
    }

    @SuppressWarnings("unchecked")
    LayerHandover layers(EthProofFixture f, LookupHandover h, byte[] proof) {
        List<Type> out = call(layerStage, layerCalldata(h, f.layerProgram(), f.layerRegisters(), proof), LAYER_OUT);
        return out == null ? null : new LayerHandover((DynamicBytes) out.get(0), (Uint256) out.get(1),
                ((DynamicArray<Uint256>) out.get(2)).getValue(), ((Uint256) out.get(3)).getValue().intValueExact());
    }

    /** Stage 3 on the hand-overs: its hand-over to stage 4 (the final polynomial's checks), or null on a rejection. */
    byte[] openingHandover(String calldata) {
        List<Type> out = call(openingStage, calldata, VerifierSession.outputs(new TypeReference<DynamicBytes>() {}));
        return out == null ? null : ((DynamicBytes) out.getFirst()).getValue();
    }

    /** The final stage's call on stage 3's hand-over. */
    static String finalCalldata(byte[] handover) {
        return FunctionEncoder.encode(new Function("run", List.of(new DynamicBytes(handover)), List.of()));
    }

    /** Stage 3 and the final stage on the hand-overs: whether the opening is accepted (a return must be true). */
    boolean opening(String calldata) {
        byte[] handover = openingHandover(calldata);
        return handover != null && finalAccepts(handover);
    }

    /** The final stage on {@code handover}: whether it accepts (a return must be true). */
    boolean finalAccepts(byte[] handover) {
        List<Type> out = call(finalStage, finalCalldata(handover), VerifierSession.outputs(new TypeReference<org.web3j.abi.datatypes.Bool>() {}));
        if (out != null && !((org.web3j.abi.datatypes.Bool) out.getFirst()).getValue()) {
            throw new AssertionError("a stage that returns must return true");
        }
        return out != null;
    }

    /** The stages in sequence on {@code proof}: whether all accept. */
    boolean all(EthProofFixture f, PcsSecurity security, byte[] proof) {
        LookupHandover h = lookup(f, proof);
        LayerHandover l = h == null ? null : layers(f, h, proof);
        return l != null && opening(openingCalldata(f, security, h.witnessRoot(), l, Arrays.copyOfRange(proof, l.end(), proof.length)));
    }

    /** One stage's outputs, or null on a clean rejection (anything else fails the test). */
    List<Type> call(String contract, String data, List<TypeReference<Type>> out) {
        var r = ChainAccount.rpc(() -> chain.web3j.ethCall(Transaction.createEthCallTransaction(account.address(), contract, data),
                DefaultBlockParameterName.LATEST).send(), "eth_call");
        if (!r.hasError() && !r.isReverted()) {
            return FunctionReturnDecoder.decode(r.getValue(), out);
        }
        String err = r.hasError() ? r.getError().getData() : r.getRevertReason();
        err = err == null || !err.contains("0x") ? "" : err.substring(err.indexOf("0x")).replace("\"", "");
        if (!err.startsWith(LogUpGkrDifferentialTest.REJECTED) && !err.startsWith(LogUpGkrDifferentialTest.MALFORMED)) {
            throw new AssertionError("the contract did not reject cleanly: " + (r.hasError() ? r.getError().getMessage() + " " + err : err));
        }
        return null;
    }

    long gas(String contract, String data) {
        var r = ChainAccount.rpc(() -> chain.web3j.ethEstimateGas(Transaction.createEthCallTransaction(account.address(), contract, data)).send(),
                "eth_estimateGas");
        if (r.hasError()) {
            throw new AssertionError("eth_estimateGas: " + r.getError().getMessage());
        }
        return r.getAmountUsed().longValueExact();
    }

    static Uint256 word(long v) {
        return new Uint256(new BigInteger(Long.toUnsignedString(v)));
    }
}
