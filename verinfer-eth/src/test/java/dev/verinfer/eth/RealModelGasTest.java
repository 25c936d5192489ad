package dev.verinfer.eth;

import dev.verinfer.model.RealModels;
import dev.verinfer.zkml.EthProofFixture;
import dev.verinfer.zkml.PcsSecurity;
import dev.verinfer.zkml.PublicStatement;
import dev.verinfer.zkml.UnsupportedGraphException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real models' honest proofs under plain keys through ZkmlVerifierSession, as a prover takes them: the key registered (its
 * tables and program kept as code), a proof bound to a context, the statement a market would pass (abi.encode of the statement
 * domain, the vkHash, the context, the input and the output); runWhole's estimate (the whole proof in one transaction), then the
 * four stages' receipts (stages 1 and 2 in parts each under EIP-7825's cap when over it, VerifierSession.lookupsInParts and layersInParts), and the
 * session's verdict. Where the proof fits: one transaction under EIP-7825's cap (2^24 gas),
 * four transactions each under it, four each under a 30 M-gas block, or none. The chain's blocks hold 1 G gas and it has no
 * per-transaction cap, so that a stage over every limit is still measured. CI runs hey_mycroft_v0.1 under proven (the layer
 * tests' proof, made once per JVM; the bound proof is one more). The key is registered as `market chain register-key` registers it:
 * in one transaction when it fits EIP-7825's cap, else in parts each under it (its chunks, then the seal), each part's gas tabled;
 * a setting under which a model has no key (too large to commit) is tabled as such. The README's table takes
 * {@code -Dverinfer.eth.gas.models=alexa_v0.1,hey_mycroft_v0.1,… -Dverinfer.eth.gas.settings=conjectured-evm,proven-evm,proven}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealModelGasTest {
    private static final long BLOCK = 30_000_000L;
    private static final byte[] STATEMENT_DOMAIN = Hash.sha3("verinfer-eth-statement-v1".getBytes(StandardCharsets.UTF_8));
    private static final List<RealModels> MODELS = Arrays.stream(System.getProperty("verinfer.eth.gas.models", "hey_mycroft_v0.1").split(","))
            .map(n -> Arrays.stream(RealModels.values()).filter(m -> m.modelName.equals(n)).findFirst().orElseThrow(() -> new IllegalArgumentException("no model " + n)))
            .toList();
    private static final List<PcsSecurity> SETTINGS = Arrays.stream(System.getProperty("verinfer.eth.gas.settings", "proven").split(","))
            .map(l -> Arrays.stream(PcsSecurity.values()).filter(s -> s.label().equals(l)).findFirst().orElseThrow(() -> new IllegalArgumentException("no setting " + l)))
            .toList();

    private Chain chain;
    private ChainAccount deployer;
    private List<String> stages;

    @BeforeAll
    void start() throws Exception {
        chain = new Chain(1_000_000_000L);
        deployer = chain.account("gas-table");
        stages = VerifierSession.deployStages(deployer);
    }

    @AfterAll
    void stop() {
        if (chain != null) {
            chain.close();
        }
    }

    /** Where a proof fits: runWhole's gas {@code whole}, the four stages' largest transactions' {@code four}. */
    static String fits(long whole, long... four) {
        long most = Arrays.stream(four).max().orElseThrow();
        int stage = 1 + IntStream.range(0, four.length).filter(i -> four[i] == most).findFirst().orElseThrow();
        return whole <= VerifierSession.TX_GAS_CAP ? "one transaction"
                : most <= VerifierSession.TX_GAS_CAP ? "every transaction under 2^24"
                : most <= BLOCK ? "four, stage " + stage + " over the cap"
                : "none: stage " + stage + " over a 30 M block";
    }

    /** A registration's receipts: one transaction's gas, or the parts' (each) and the seal's, with their total. */
    static String registration(List<VerifierSession.Step> steps) {
        long[] gas = steps.stream().mapToLong(st -> st.receipt().gasUsed()).toArray();
        if (gas.length == 1) {
            return String.format("one transaction: %,d", gas[0]);
        }
        long[] parts = Arrays.copyOf(gas, gas.length - 1);
        return String.format("%d parts: %s + seal %,d = %,d (largest %,d)", parts.length,
                Arrays.stream(parts).mapToObj(g -> String.format("%,d", g)).collect(java.util.stream.Collectors.joining(" + ")), gas[gas.length - 1],
                Arrays.stream(gas).sum(), Arrays.stream(gas).max().orElseThrow());
    }

    /** The market's statement of {@code proof} (bound to {@code context}) under key {@code vkHash}: domain, vkHash, context, input, output. */
    static byte[] statement(EthProofFixture f, byte[] vkHash, byte[] context, byte[] proof) {
        PublicStatement proven = f.statement(proof);
        return Numeric.hexStringToByteArray(FunctionEncoder.encodeConstructor(List.of(new Bytes32(STATEMENT_DOMAIN), new Bytes32(vkHash),
                new Bytes32(context), new DynamicBytes(VerifierSessionTest.tensors(proven.inputs())), new DynamicBytes(VerifierSessionTest.tensors(proven.outputs())))));
    }

    /**
     * The session's transactions, measured, per stage: stage 1 whole when it fits EIP-7825's cap, else in parts — the first with as many
     * tables as fit the cap (VerifierSession.lookupsInParts' plan) or, when even none fit, with none and uncapped, the tables' checks then
     * in parts each under the cap —; stage 2 whole when it fits the cap, else in parts each under it (VerifierSession.layersInParts'
     * plan); stages 3 and 4 uncapped.
     */
    static List<List<VerifierSession.Step>> run(VerifierSession session, byte[] vkHash, byte[] statement, VerifierSession.Parts parts) {
        long cap = VerifierSession.TX_GAS_CAP;
        ChainAccount a = session.account();
        byte[] statementHash = Hash.sha3(statement);
        List<VerifierSession.Step> one;
        if (a.estimateGas(session.address(), VerifierSession.lookupsCall(vkHash, statement, parts), VerifierSession::describe) <= cap) {
            one = List.of(session.run(VerifierSession.lookupsCall(vkHash, statement, parts)));
        } else if (a.estimateGas(session.address(), VerifierSession.lookupsUpToCall(vkHash, statement, parts, 0), VerifierSession::describe) <= cap) {
            one = session.lookupsInParts(vkHash, statement, parts, cap);
        } else {
            VerifierSession.Step first = session.run(VerifierSession.lookupsUpToCall(vkHash, statement, parts, 0));
            one = new java.util.ArrayList<>(List.of(first));
            one.addAll(session.tablesInParts(vkHash, statement, parts, first.handover(), 0, session.tableCount(vkHash), cap));
        }
        List<VerifierSession.Step> rest = session.afterLookups(vkHash, statementHash, parts, one.getFirst().handover(), cap, Long.MAX_VALUE);
        return List.of(one, rest.subList(0, rest.size() - 2), rest.subList(rest.size() - 2, rest.size() - 1), rest.subList(rest.size() - 1, rest.size()));
    }

    /** A stage's receipts: its one transaction's gas, or its parts' (each) and their total. */
    static String stage(List<VerifierSession.Step> steps) {
        long[] gas = steps.stream().mapToLong(st -> st.receipt().gasUsed()).toArray();
        return gas.length == 1 ? String.format("%,d", gas[0]) : String.format("%d parts: %s = %,d", gas.length,
                Arrays.stream(gas).mapToObj(g -> String.format("%,d", g)).collect(java.util.stream.Collectors.joining(" + ")), Arrays.stream(gas).sum());
    }

    @Test
    void honestProofsOfRealModelsVerifyThroughTheSessionAndTheirGasIsTabled() {
        StringBuilder table = new StringBuilder("| model | setting | proof bytes (parts 1 / 2 / 3) | one transaction (runWhole) | session 1 | 2 | 3 | 4 | fits |"
                + " registration: parts (each) + seal |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (RealModels model : MODELS) {
            for (PcsSecurity s : SETTINGS) {
                String what = model.modelName + " " + s.label();
                // the layer tests' proof where this is theirs (CI's hey_mycroft_v0.1 proven); else made for this row only
                EthProofFixture f;
                try {
                    f = model == RealModels.HEY_MYCROFT && s == PcsSecurity.PROVEN ? EthProofFixture.of(model, s) : EthProofFixture.fresh(model, s);
                } catch (UnsupportedGraphException e) {
                    table.append(String.format("| %s | %s | no key: %s | | | | | | | |%n", model.modelName, s.label(), e.getMessage()));
                    continue;
                }
                VerifierSession session = new VerifierSession(deployer, VerifierSession.deploy(deployer, stages).contractAddress());
                List<VerifierSession.Step> key = session.register(f.keyParts(), VerifierSession.TX_GAS_CAP);
                byte[] vkHash = key.getLast().handover();
                byte[] context = Hash.sha3((what + " gas table").getBytes(StandardCharsets.UTF_8));
                byte[] proof = f.proveBound(context);
                byte[] statement = statement(f, vkHash, context, proof);
                VerifierSession.Parts parts = session.split(vkHash, proof);
                long whole = deployer.estimateGas(session.address(), VerifierSession.wholeCall(vkHash, statement, parts), VerifierSession::describe);
                List<List<VerifierSession.Step>> stages = run(session, vkHash, statement, parts);
                assertTrue(session.verify(vkHash, statement, parts.proofHash()), what + ": the session does not accept the honest proof");
                long[] four = stages.stream().mapToLong(st -> st.stream().mapToLong(x -> x.receipt().gasUsed()).max().orElseThrow()).toArray();
                table.append(String.format("| %s | %s | %,d (%,d / %,d / %,d) | %,d | %s | %s | %s | %s | %s | %s |%n", model.modelName, s.label(), proof.length,
                        parts.lookups().length, parts.layers().length, parts.opening().length, whole, stage(stages.get(0)), stage(stages.get(1)),
                        stage(stages.get(2)), stage(stages.get(3)),
                        fits(whole, four), registration(key)));
            }
        }
        System.out.print("real models through ZkmlVerifierSession (gas used; runWhole by eth_estimateGas):\n" + table);
    }
}
