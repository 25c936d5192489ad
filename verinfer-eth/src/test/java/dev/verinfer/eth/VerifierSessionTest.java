package dev.verinfer.eth;

import dev.verinfer.model.inputs.RealInputs;
import dev.verinfer.model.quant.Execution;
import dev.verinfer.zkml.EthProofFixture;
import dev.verinfer.zkml.PcsSecurity;
import dev.verinfer.zkml.PublicStatement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ZkmlVerifierSession on anvil (one node with the default 30 M block gas limit that refuses a transaction over
 * EIP-7825's 2^24 gas; the stages and the market deployed once): a real alexa_v0.1 proof (proven setting, the default of {@code verinfer compile}) bound to
 * a market request's context runs through the session's four transactions, each under 20 M gas and each
 * carrying its part of the proof as calldata, and the market settles the request through the session as the
 * model's IProofVerifier; a cheater with a wrong output is slashed, and the verdict for one request settles no
 * other. Adversaries are refused: a changed or swapped hand-over at every stage boundary, another proof's
 * hand-over, parts of two honest proofs mixed, a tampered, extended or shifted part, another key (another
 * program, or a key whose session accepted), a skipped, replayed or reordered stage, a proof of another
 * statement (another output, input, request context or domain), and the verdict answers only the accepted
 * (vkHash, statement, proof hash). The whole proof in one transaction ({@code runWhole}, under EIP-7825's
 * cap) settles another request, refuses tampered or shifted parts and other statements, and its verdict settles
 * no other request; over a lower cap the prover's path takes the four transactions. Two alexa proofs are made here: the shared fixture's key and execution, bound to the request's
 * context, twice. The conjectured setting's stages are run by OpeningDifferentialTest and, through the CLI, by
 * verinfer-node's MarketChainSessionTest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VerifierSessionTest {
    /**
     * {@code -Dverinfer.eth.session.conjectured=true}: the conjectured setting instead, to measure it;
     * {@code -Dverinfer.eth.session.security=LABEL}: any WHIR setting the session covers, by its {@code --pcs-security} label.
     */
    private static final PcsSecurity SECURITY = Boolean.getBoolean("verinfer.eth.session.conjectured") ? PcsSecurity.CONJECTURED
            : java.util.Arrays.stream(PcsSecurity.values()).filter(s -> s.label().equals(System.getProperty("verinfer.eth.session.security", "proven")))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("no setting " + System.getProperty("verinfer.eth.session.security")));
    /** What each of the session's transactions must stay under: a 30 M-gas block with a third to spare. */
    private static final long STAGE_GAS = 20_000_000L;
    private static final BigInteger FEE = BigInteger.valueOf(10_000);
    private static final GasLog GAS = new GasLog();

    private Chain chain;
    private ChainAccount deployer;
    private EthProofFixture f;
    private List<String> stages;
    private VerifierSession session;
    private byte[] vkHash;
    private World w;
    private byte[] input;
    private byte[] output;
    private long id;
    private byte[] proof;
    private byte[] statement;
    /** The honest proof and the fixture's proof without context (a valid proof of the same inference), cut into the session's parts. */
    private VerifierSession.Parts parts;
    private VerifierSession.Parts unbound;
    /** Stage 1's hand-over of the honest proof. */
    private byte[] h1;

    @BeforeAll
    void start() throws Exception {
        chain = new Chain(0, true);
        f = EthProofFixture.alexa(SECURITY);
        deployer = chain.account("session-deployer");
        stages = VerifierSession.deployStages(deployer);
        session = new VerifierSession(deployer, GAS.step("deploy ZkmlVerifierSession", VerifierSession.deploy(deployer, stages)).contractAddress());
        VerifierSession.Step key = session.registerKey(f.keyParts());
        GAS.step("registerKey (tables and program kept as code)", key.receipt());
        vkHash = key.handover();
        assertArrayEquals(f.keyParts().vkHash(), vkHash, "the vkHash computed in Java is the session's");
        EthMarket.Params d = EthMarket.Params.defaults();
        // Locks of an hour: the session's transactions and the other tests run between the lock and the result.
        w = new World(chain, GAS, vkHash, session.address(), new EthMarket.Params(d.floorBps(), d.rampSeconds(), 3_600, d.collateralBps(),
                d.challengeBondBps(), d.responseSeconds(), d.protocolFeeBps(), d.slashVictimBps(), d.challengeRewardBps(), d.revealSeconds(),
                d.minLockSeconds(), d.maxDeadlineSeconds(), d.minWindowSeconds(), d.minProverStake()));
        PublicStatement proven = f.statement(f.proof);
        input = tensors(proven.inputs());
        output = tensors(proven.outputs());
        id = w.request(input, FEE, new EthMarket.Terms.Zk(), "submitRequest ZK (alexa input)");
        // The prover knows its request's context before it locks: it proves, then locks; the statement names the lock holder.
        proof = f.proveBound(w.market.proofContext(id, w.prover.address()));
        GAS.step("lock", w.as(w.prover).lock(id));
        statement = w.market.statementOf(id, input, output);
        parts = session.split(vkHash, proof);
        unbound = session.split(vkHash, f.proof);
        assertArrayEquals(proof, concat(parts), "the parts are the proof, cut");
        h1 = session.handover(VerifierSession.lookupsCall(vkHash, statement, parts));
    }

    private static byte[] concat(VerifierSession.Parts p) {
        ByteBuffer b = ByteBuffer.allocate(p.lookups().length + p.layers().length + p.opening().length);
        return b.put(p.lookups()).put(p.layers()).put(p.opening()).array();
    }

    @AfterAll
    void stop() {
        if (parts != null) {
            System.out.print("ZkmlVerifierSession, alexa_v0.1 " + SECURITY.label() + " (" + proof.length + "-byte proof, parts of " + parts.lookups().length + " + "
                    + parts.layers().length + " + " + parts.opening().length + " bytes as calldata; stage 1 hands over a head of "
                    + new BigInteger(1, Arrays.copyOfRange(h1, 64, 96)) + " bytes):\n" + GAS.table());
        }
        if (chain != null) {
            chain.close();
        }
    }

    /** The transaction's calls (anvil's callTracer): per call its gas used and input bytes, indented by depth. */
    private String callTree(String txHash) {
        StringBuilder sb = new StringBuilder();
        describeCall(chain.rpc("debug_traceTransaction", List.of(txHash, java.util.Map.of("tracer", "callTracer"))), 0, sb);
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    private static void describeCall(Object call, int depth, StringBuilder sb) {
        var m = (java.util.Map<String, Object>) call;
        String in = (String) m.get("input");
        String out = (String) m.get("output");
        sb.append("  ".repeat(depth)).append(m.get("type")).append(' ').append(m.get("to")).append(" gasUsed ")
                .append(Long.decode((String) m.get("gasUsed"))).append(" input ").append(in == null ? 0 : (in.length() - 2) / 2)
                .append(" B output ").append(out == null ? 0 : (out.length() - 2) / 2).append(" B\n");
        Object calls = m.get("calls");
        if (calls != null) {
            for (Object c : (List<Object>) calls) {
                describeCall(c, depth + 1, sb);
            }
        }
    }

    /** The fixture's key with {@code program} over {@code registers} registers as its layer program. */
    private VerifierSession.KeyParts keyParts(byte[] program, int registers) {
        VerifierSession.KeyParts k = f.keyParts();
        return new VerifierSession.KeyParts(k.modelId(), k.cfg(), k.tables(), program, registers, k.weightRoot(), k.weightVars(), k.witnessVars(), k.soundness());
    }

    /** Another session contract with the key registered. */
    private VerifierSession freshSession() {
        VerifierSession s = new VerifierSession(deployer, VerifierSession.deploy(deployer, stages).contractAddress());
        s.registerKey(keyParts(f.layerProgram(), f.layerRegisters()));
        return s;
    }

    @Test
    void honestProofSettlesThroughTheSessionAndAWrongOutputIsSlashed() {
        assertTrue(VerifierSession.at(w.prover, w.market.model(w.modelId).verifier()).isPresent(), "the model's verifier is a session");
        assertTrue(VerifierSession.at(w.prover, w.market.address()).isEmpty(), "the market is not");
        byte[] proofHash = parts.proofHash();
        assertFalse(session.verify(vkHash, statement, proofHash), "no session has run");
        List<VerifierSession.Step> steps = session.as(w.prover).runAll(vkHash, statement, parts);
        GAS.step("session 1: statement, head, LogUp-GKR, look-up checks", steps.get(0).receipt());
        GAS.step("session 2: layer program", steps.get(1).receipt());
        GAS.step("session 3: WHIR opening (transcript, queries)", steps.get(2).receipt());
        GAS.step("session 4: the final polynomial's checks (last round's folds, the sum), verdict", steps.get(3).receipt());
        if (Boolean.getBoolean("verinfer.eth.session.trace")) {
            byte[] statementHash = Hash.sha3(statement);
            System.out.println("calldata gas of the four transactions: " + calldataGas(VerifierSession.lookupsCall(vkHash, statement, parts)) + " + "
                    + calldataGas(VerifierSession.layersCall(vkHash, statementHash, parts, steps.get(0).handover())) + " + "
                    + calldataGas(VerifierSession.openingCall(vkHash, statementHash, parts, steps.get(1).handover())) + " + "
                    + calldataGas(VerifierSession.finalCall(vkHash, statementHash, proofHash, steps.get(2).handover())));
            for (VerifierSession.Step st : steps) {
                System.out.println("call tree of " + st.receipt().txHash() + ":\n" + callTree(st.receipt().txHash()));
            }
        }
        for (VerifierSession.Step st : steps) {
            assertTrue(st.receipt().gasUsed() <= STAGE_GAS, "a session transaction takes " + st.receipt().gasUsed() + " gas");
        }
        assertTrue(session.verify(vkHash, statement, proofHash), "the session accepted");
        assertFalse(session.verify(vkHash, statement, unbound.proofHash()), "another proof's verdict");
        // Any proof but a 32-byte hash is read as the parts, abi.encode(part 1, part 2, part 3), and verified: these are not, so the call
        // reverts, which the market takes for an invalid proof.
        refusal(session, VerifierSession.verifyCall(vkHash, statement, Arrays.copyOf(proofHash, 33))); // a proof hash with a byte more
        refusal(session, VerifierSession.verifyCall(vkHash, statement, proof)); // the proof's bytes are not its name
        assertFalse(session.verify(Hash.sha3(vkHash), statement, proofHash), "another key's verdict");
        assertTrue(refusal(session, VerifierSession.lookupsCall(vkHash, statement, parts)).contains("WrongStage"), "an accepted session does not restart");

        BigInteger before = w.market.balanceOf(w.prover.address());
        Receipt r = GAS.step("submitResult ZK (the proof's hash), verified by the session", w.as(w.prover).submitZkResult(id, output, input, proofHash));
        assertEquals(1, w.market.events(r, "Settled").size());
        assertEquals(EthMarket.Status.SETTLED, w.market.request(id).status());
        assertTrue(w.market.balanceOf(w.prover.address()).compareTo(before) > 0, "the prover is paid");
        w.checkConservation();

        // A cheater posts another output with the honest proof's verdict: no session accepted that statement, the market slashes.
        long other = w.request(input, FEE, new EthMarket.Terms.Zk(), "submitRequest ZK (alexa input)");
        GAS.step("lock", w.as(w.prover2).lock(other));
        Receipt slashed = GAS.step("submitResult ZK, wrong output: slashed", w.as(w.prover2).submitZkResult(other, otherOutput(), input, proofHash));
        assertEquals(1, w.market.events(slashed, "Slashed").size());
        assertEquals(EthMarket.Status.OPEN, w.market.request(other).status(), "re-opened");
        assertEquals(1, w.market.prover(w.prover2.address()).slashed());
        w.checkConservation();

        // The verdict of request A (its statement names A and its lock holder) does not settle request B of the same prover, input and output.
        long b = w.request(input, FEE, new EthMarket.Terms.Zk(), "submitRequest ZK (alexa input)");
        GAS.step("lock", w.as(w.prover).lock(b));
        assertFalse(session.verify(vkHash, w.market.statementOf(b, input, output), proofHash), "no session accepted request B's statement");
        Receipt replayed = w.as(w.prover).submitZkResult(b, output, input, proofHash);
        assertEquals(1, w.market.events(replayed, "Slashed").size(), "A's verdict for B is an invalid proof");
        assertEquals(1, w.market.prover(w.prover.address()).slashed());
        w.checkConservation();
    }

    /** A prover of its own (deposit, stake), counted in the world's conservation: the other tests' slash counts stay theirs. */
    private ChainAccount newProver(String name) {
        ChainAccount a = w.join(chain.account(name));
        w.token.transfer(a.address(), World.DEPOSIT);
        w.token.as(a).approve(w.market.address(), World.DEPOSIT);
        w.as(a).deposit(World.DEPOSIT);
        w.as(a).registerProver(World.STAKE);
        return a;
    }

    /** A ZK request of alexa's input locked by {@code prover}: its id, its statement, a proof bound to it and that proof's parts. */
    private record Locked(long id, byte[] statement, byte[] proof, VerifierSession.Parts parts) {}

    private Locked lockedZkRequest(ChainAccount prover) {
        long id = w.request(input, FEE, new EthMarket.Terms.Zk(), "submitRequest ZK (alexa input)");
        byte[] bound = f.proveBound(w.market.proofContext(id, prover.address()));
        w.as(prover).lock(id);
        return new Locked(id, w.market.statementOf(id, input, output), bound, session.split(vkHash, bound));
    }

    /**
     * Request B of the same prover, input and output, settled with request A's {@code proof}: the market slashes ({@code why}),
     * value conserved; B's id.
     */
    private long replayedOnAnotherRequest(ChainAccount prover, byte[] proof, String why) {
        long b = w.request(input, FEE, new EthMarket.Terms.Zk(), "submitRequest ZK (alexa input)");
        w.as(prover).lock(b);
        Receipt replayed = w.as(prover).submitZkResult(b, output, input, proof);
        assertEquals(1, w.market.events(replayed, "Slashed").size(), why);
        assertEquals(1, w.market.prover(prover.address()).slashed());
        w.checkConservation();
        return b;
    }

    @Test
    void wholeProofInOneTransactionSettlesItsRequestOnly() {
        ChainAccount prover = newProver("one-transaction prover");
        Locked locked = lockedZkRequest(prover);
        long a = locked.id();
        byte[] statementA = locked.statement();
        VerifierSession.Parts p = locked.parts();
        byte[] proofHash = p.proofHash();
        VerifierSession s = session.as(prover);

        // Refused, nothing recorded: a bit flipped in each part (its stage rejects), a cut moved by a byte, another statement.
        List<VerifierSession.Parts> tampered = List.of(with(p, 0, flip(p.lookups(), p.lookups().length - 100)), with(p, 1, flip(p.layers(), p.layers().length / 2)),
                with(p, 2, flip(p.opening(), p.opening().length / 3)), with(p, 2, flip(p.opening(), p.opening().length - 1)));
        for (VerifierSession.Parts t : tampered) {
            assertTrue(stageRefusal(s, VerifierSession.wholeCall(vkHash, statementA, t)), "a tampered part");
        }
        byte[] l = p.lookups(), m = p.layers(), o = p.opening();
        VerifierSession.Parts longer1 = new VerifierSession.Parts(ByteBuffer.allocate(l.length + 1).put(l).put(m[0]).array(), Arrays.copyOfRange(m, 1, m.length), o);
        assertTrue(refusal(s, VerifierSession.wholeCall(vkHash, statementA, longer1)).contains("WrongPart(stage=1)"), "part 1 with part 2's first byte");
        VerifierSession.Parts longer2 = new VerifierSession.Parts(l, ByteBuffer.allocate(m.length + 1).put(m).put(o[0]).array(), Arrays.copyOfRange(o, 1, o.length));
        assertTrue(refusal(s, VerifierSession.wholeCall(vkHash, statementA, longer2)).contains("WrongPart(stage=2)"), "part 2 with part 3's first byte");
        assertTrue(stageRefusal(s, VerifierSession.wholeCall(vkHash, statementA, with(p, 2, Arrays.copyOf(o, o.length + 1)))), "part 3 with a byte appended");
        assertTrue(refusal(s, VerifierSession.wholeCall(vkHash, statement, p)).contains("WrongStatement(part=2)"), "another request's statement");
        assertTrue(refusal(s, VerifierSession.wholeCall(vkHash, w.market.statementOf(a, input, otherOutput()), p)).contains("WrongStatement(part=4)"), "another output");
        assertTrue(refusal(s, VerifierSession.wholeCall(vkHash, statementA, parts)).contains("WrongStatement(part=2)"), "another request's proof");
        assertTrue(refusal(s, VerifierSession.wholeCall(Hash.sha3(vkHash), statementA, p)).contains("UnknownKey"));
        // The honest path, as the prover takes it: the estimate is under the cap, so one transaction.
        assertFalse(s.verify(vkHash, statementA, proofHash), "nothing recorded by the refusals");
        List<VerifierSession.Step> steps = s.verifyOnChain(vkHash, statementA, p, VerifierSession.TX_GAS_CAP);
        assertEquals(1, steps.size(), "the whole proof in one transaction");
        Receipt whole = GAS.step("one transaction: the whole proof (runWhole), verdict", steps.getFirst().receipt());
        assertTrue(whole.gasUsed() <= VerifierSession.TX_GAS_CAP, "the transaction takes " + whole.gasUsed() + " gas, over EIP-7825's cap");
        System.out.println("runWhole's calldata: " + calldataGas(VerifierSession.wholeCall(vkHash, statementA, p)) + " gas (the statement's bytes "
                + calldataGas(Numeric.toHexString(statementA)) + ", the parts' " + calldataGas(Numeric.toHexString(locked.proof())) + ")");
        if (Boolean.getBoolean("verinfer.eth.session.trace")) {
            System.out.println("call tree of " + whole.txHash() + ":\n" + callTree(whole.txHash()));
        }
        assertTrue(s.verify(vkHash, statementA, proofHash), "the session of (vkHash, A's statement, the proof's hash) accepted");
        assertFalse(s.verify(vkHash, statement, proofHash), "not another request's statement");
        for (VerifierSession.Parts t : tampered) {
            assertFalse(s.verify(vkHash, statementA, t.proofHash()));
        }
        assertTrue(refusal(s, VerifierSession.wholeCall(vkHash, statementA, p)).contains("WrongStage"), "an accepted session is not run again");
        assertTrue(refusal(s, VerifierSession.lookupsCall(vkHash, statementA, p)).contains("WrongStage"), "nor started in four transactions");

        BigInteger before = w.market.balanceOf(prover.address());
        Receipt r = GAS.step("submitResult ZK (the proof's hash), verified in one transaction", w.as(prover).submitZkResult(a, output, input, proofHash));
        assertEquals(1, w.market.events(r, "Settled").size());
        assertEquals(EthMarket.Status.SETTLED, w.market.request(a).status());
        assertTrue(w.market.balanceOf(prover.address()).compareTo(before) > 0, "the prover is paid");
        w.checkConservation();

        // Request B of the same prover, input and output, settled with A's verdict: no session accepted B's statement, the market slashes.
        long b = replayedOnAnotherRequest(prover, proofHash, "A's verdict for B is an invalid proof");
        assertFalse(s.verify(vkHash, w.market.statementOf(b, input, output), proofHash));
    }

    @Test
    void theMarketsOwnCallVerifiesTheParts() {
        ChainAccount prover = newProver("inline prover");
        Locked locked = lockedZkRequest(prover);
        long a = locked.id();
        byte[] statementA = locked.statement();
        VerifierSession.Parts p = locked.parts();
        byte[] inline = VerifierSession.inlineProof(p);
        VerifierSession s = session.as(prover);

        // The session's verify on the parts is runWhole's verification: a tampered part, another statement, a cut head refused.
        assertTrue(s.verify(vkHash, statementA, inline), "the parts verify in the market's call");
        assertTrue(stageRefusal(s, VerifierSession.verifyCall(vkHash, statementA, VerifierSession.inlineProof(with(p, 1, flip(p.layers(), p.layers().length / 2))))),
                "a bit flipped in part 2");
        assertTrue(stageRefusal(s, VerifierSession.verifyCall(vkHash, statementA, VerifierSession.inlineProof(with(p, 2, flip(p.opening(), p.opening().length - 1))))),
                "the final polynomial's last byte flipped");
        assertTrue(refusal(s, VerifierSession.verifyCall(vkHash, statement, inline)).contains("WrongStatement(part=2)"), "another request's statement");
        refusal(s, VerifierSession.verifyCall(vkHash, statementA, Arrays.copyOf(inline, 95))); // a cut head: refused (it throws if accepted)

        // Too little gas for the verification inside the market's call: the stage out of gas is the session's (all its gas spent), so the
        // market's 63/64 rule reverts VerifierOutOfGas rather than slashing an honest proof; nothing moves. (send's limit is 1.3 × the
        // estimate given + 20,000: 3.92 M, under every setting's need; 6 M, 7.82 M, was enough for proven-evm after branch gas23, and
        // 4 M, 5.22 M, for conjectured-evm since branch evmlean26.)
        String tight = org.web3j.abi.FunctionEncoder.encode(new org.web3j.abi.datatypes.Function("submitResult", List.of(new org.web3j.abi.datatypes.generated.Uint256(a),
                new org.web3j.abi.datatypes.DynamicBytes(output), new org.web3j.abi.datatypes.DynamicBytes(input), new org.web3j.abi.datatypes.DynamicBytes(inline)), List.of()));
        assertThrowsChain(() -> prover.send(w.market.address(), tight, EthMarket::describe, BigInteger.valueOf(3_000_000), VerifierSession.TX_GAS_CAP));
        assertEquals(EthMarket.Status.LOCKED, w.market.request(a).status(), "no verdict for lack of gas");
        assertEquals(0, w.market.prover(prover.address()).slashed());

        // The prover's one transaction: submitResult with the parts, the market's call verifies them; nothing is recorded in the session.
        assertTrue(w.as(prover).estimateZkResult(a, output, input, inline) <= VerifierSession.TX_GAS_CAP, "under EIP-7825's cap");
        BigInteger before = w.market.balanceOf(prover.address());
        Receipt r = GAS.step("submitResult ZK, the proof's parts verified inside it (the only transaction)", w.as(prover).submitZkResult(a, output, input, inline));
        assertTrue(r.gasUsed() <= VerifierSession.TX_GAS_CAP, "the transaction takes " + r.gasUsed() + " gas, over EIP-7825's cap");
        System.out.println("submitResult's calldata with the parts: " + calldataGas(Numeric.toHexString(inline)) + " gas of the proof's, the input's "
                + calldataGas(Numeric.toHexString(input)));
        assertEquals(1, w.market.events(r, "Settled").size());
        assertEquals(EthMarket.Status.SETTLED, w.market.request(a).status());
        assertTrue(w.market.balanceOf(prover.address()).compareTo(before) > 0, "the prover is paid");
        assertFalse(s.verify(vkHash, statementA, p.proofHash()), "no session was recorded");
        w.checkConservation();
        // The same proof through runWhole, for the comparison (the other path's first transaction; its submitResult with the hash follows).
        GAS.step("runWhole on the proof submitResult verified (the other path's first transaction)", s.run(VerifierSession.wholeCall(vkHash, statementA, p)).receipt());

        // Request B of the same prover, input and output, with A's parts: they name A's context, so the market's call refuses them and slashes.
        replayedOnAnotherRequest(prover, inline, "A's proof for B is an invalid proof");
    }

    /**
     * {@code -Dverinfer.eth.session.gasProofs=N}: the market's one transaction on N proofs of N other inferences (alexa's seeded
     * embeddings 3 … N + 2, each proof bound to its own request). Gas moves from proof to proof with where the queries fall, so
     * a preset's budget is the worst of many: each receipt is printed, and GasLog's median, min and max follow the class.
     */
    @Test
    void submitResultOverManyInputs() {
        int n = Integer.getInteger("verinfer.eth.session.gasProofs", 0);
        Assumptions.assumeTrue(n > 0, "-Dverinfer.eth.session.gasProofs=N measures N proofs");
        ChainAccount prover = newProver("many-inputs prover");
        for (long seed = 3; seed < 3 + n; seed++) {
            Execution ex = f.execute(RealInputs.embeddings(seed));
            byte[] in = tensors(f.provingKey.graph().inputs().stream().map(ex::value).toList());
            long a = w.request(in, FEE, new EthMarket.Terms.Zk(), "submitRequest ZK (another input)");
            byte[] bound = f.proveBound(ex, w.market.proofContext(a, prover.address()));
            PublicStatement st = f.statement(bound);
            assertArrayEquals(in, tensors(st.inputs()), "the request's input is the proof's");
            byte[] out = tensors(st.outputs());
            w.as(prover).lock(a);
            Receipt r = GAS.step("submitResult with the parts, " + n + " inputs", w.as(prover).submitZkResult(a, out, in, VerifierSession.inlineProof(session.split(vkHash, bound))));
            System.out.println("input seed " + seed + ": " + bound.length + "-byte proof, submitResult with the parts " + r.gasUsed() + " gas");
            assertEquals(EthMarket.Status.SETTLED, w.market.request(a).status());
        }
        w.checkConservation();
    }

    @Test
    void overTheCapTheProofGoesInFourTransactions() {
        VerifierSession s = freshSession();
        long whole = s.account().estimateGas(s.address(), VerifierSession.wholeCall(vkHash, statement, parts), VerifierSession::describe);
        // A cap under the one transaction's estimate and over each of the four's: the four transactions, and the same verdict.
        long cap = whole - 1;
        List<VerifierSession.Step> steps = s.verifyOnChain(vkHash, statement, parts, cap);
        assertEquals(4, steps.size());
        for (VerifierSession.Step st : steps) {
            assertTrue(st.receipt().gasUsed() <= cap);
        }
        assertTrue(s.verify(vkHash, statement, parts.proofHash()));
        // The same proof in one transaction (another session contract), for the receipts' comparison on the same bytes.
        VerifierSession one = freshSession();
        Receipt same = GAS.step("one transaction, the proof of sessions 1-4 (runWhole)", one.verifyOnChain(vkHash, statement, parts, VerifierSession.TX_GAS_CAP).getFirst().receipt());
        if (Boolean.getBoolean("verinfer.eth.session.trace")) {
            System.out.println("calldata " + calldataGas(VerifierSession.wholeCall(vkHash, statement, parts)) + " gas; call tree of " + same.txHash() + ":\n" + callTree(same.txHash()));
        }
        assertTrue(one.verify(vkHash, statement, parts.proofHash()));
        // A node whose calls may not take the one transaction's gas (blocks of 6 M, or one gas under the one transaction's
        // estimate when that is less: proven-evm's runWhole took 7.97 M after its tables were committed and the loops became Yul
        // functions, each of its four transactions at most 3.7 M; conjectured-evm's 5.69 M, each of its four at most 2.1 M): its
        // estimate fails without a refusal, the four run.
        VerifierSession small = freshSession();
        chain.rpc("anvil_setBlockGasLimit", List.of(Numeric.toHexStringWithPrefix(BigInteger.valueOf(Math.min(6_000_000, whole - 1)))));
        try {
            assertEquals(4, small.verifyOnChain(vkHash, statement, parts, VerifierSession.TX_GAS_CAP).size(), "four transactions under the node's cap");
        } finally {
            chain.rpc("anvil_setBlockGasLimit", List.of(Numeric.toHexStringWithPrefix(BigInteger.valueOf(30_000_000))));
        }
        assertTrue(small.verify(vkHash, statement, parts.proofHash()));
        // A cap under a stage's transaction: refused before it is sent (the session stays where it stood).
        VerifierSession t = freshSession();
        String why = assertThrowsChain(() -> t.verifyOnChain(vkHash, statement, parts, 1_000_000));
        assertTrue(why.contains("over the cap"), why);
        assertTrue(refusal(t, VerifierSession.layersCall(vkHash, Hash.sha3(statement), parts, h1)).contains("WrongStage"), "stage 1 was not sent");
    }

    /** A transaction's calldata gas (EIP-2028: 4 a zero byte, 16 another). */
    private static long calldataGas(String hex) {
        long gas = 0;
        for (byte b : Numeric.hexStringToByteArray(hex)) {
            gas += b == 0 ? 4 : 16;
        }
        return gas;
    }

    private static String assertThrowsChain(Runnable r) {
        try {
            r.run();
        } catch (ChainException e) {
            return e.getMessage();
        }
        throw new AssertionError("no refusal");
    }

    @Test
    void aHandoverIsTrustedOnlyByItsHash() {
        VerifierSession s = freshSession();
        s.run(VerifierSession.lookupsCall(vkHash, statement, parts));
        byte[] statementHash = Hash.sha3(statement);
        byte[] proofHash = parts.proofHash();
        assertTrue(refusal(s, VerifierSession.layersCall(vkHash, statementHash, parts, flipped(h1))).contains("WrongHandover"));
        byte[] head = h1.clone();
        head[head.length - 1 - (head.length - 1) / 2] ^= 1;
        assertTrue(refusal(s, VerifierSession.layersCall(vkHash, statementHash, parts, head)).contains("WrongHandover"), "the head it carries changed");
        byte[] h2 = s.run(VerifierSession.layersCall(vkHash, statementHash, parts, h1)).handover();
        assertTrue(refusal(s, VerifierSession.openingCall(vkHash, statementHash, parts, flipped(h2))).contains("WrongHandover"));
        assertTrue(refusal(s, VerifierSession.openingCall(vkHash, statementHash, parts, h1)).contains("WrongHandover"), "stage 1's hand-over at stage 3");
        byte[] h3 = s.run(VerifierSession.openingCall(vkHash, statementHash, parts, h2)).handover();
        // Stage 4 reads nothing but stage 3's hand-over: a changed final coefficient, σ, term or query value, or another stage's, is refused.
        byte[] early = h3.clone();
        early[100] ^= 1;
        for (byte[] other : List.of(flipped(h3), early, h2, Arrays.copyOf(h3, h3.length + 32))) {
            assertTrue(refusal(s, VerifierSession.finalCall(vkHash, statementHash, proofHash, other)).contains("WrongHandover"), "stage 4");
        }
        assertTrue(refusal(s, VerifierSession.finalCall(vkHash, statementHash, unbound.proofHash(), h3)).contains("WrongStage"),
                "stage 3's hand-over for another proof's session");
        assertFalse(s.verify(vkHash, statement, proofHash));
        s.run(VerifierSession.finalCall(vkHash, statementHash, proofHash, h3));
        assertTrue(s.verify(vkHash, statement, proofHash), "the honest hand-over is accepted after the refusals");
    }

    /** {@code h} with a bit of its second-last word flipped (a register, a range, a claim: every word is hashed). */
    private static byte[] flipped(byte[] h) {
        byte[] t = h.clone();
        t[t.length - 40] ^= 1;
        return t;
    }

    @Test
    void anotherProofsHandoverIsRefused() {
        VerifierSession s = freshSession();
        s.run(VerifierSession.lookupsCall(vkHash, statement, parts));
        byte[] statementHash = Hash.sha3(statement);
        // The fixture's own proof (no context) is a valid proof of the same inference; its stage-1 hand-over, from the stage itself.
        byte[] other = Numeric.hexStringToByteArray(s.account().call(stages.getFirst(), ProofStages.lookupCalldata(f, f.proof), VerifierSession::describe));
        assertFalse(Arrays.equals(other, h1));
        assertTrue(refusal(s, VerifierSession.layersCall(vkHash, statementHash, parts, other)).contains("WrongHandover"));
        assertTrue(refusal(s, VerifierSession.layersCall(vkHash, statementHash, unbound, other)).contains("WrongStage"),
                "the other proof has no session of this statement");
        assertTrue(refusal(s, VerifierSession.layersCall(vkHash, statementHash, unbound, h1)).contains("WrongStage"));
    }

    @Test
    void partsOfTwoHonestProofsDoNotMix() {
        VerifierSession s = freshSession();
        byte[] statementHash = Hash.sha3(statement);
        assertFalse(Arrays.equals(parts.layers(), unbound.layers()), "two proofs of one inference under two contexts: other challenges, other messages");
        // The proof's part 1, then the other proof's part 2 (a session of its own, named by the mixed parts): stage 2 continues the
        // transcript of this proof's part 1, on which the other proof's layer messages fail.
        VerifierSession.Parts mixed = with(parts, 1, unbound.layers());
        byte[] m1 = s.run(VerifierSession.lookupsCall(vkHash, statement, mixed)).handover();
        assertArrayEquals(h1, m1, "part 1 is this proof's");
        assertTrue(stageRefusal(s, VerifierSession.layersCall(vkHash, statementHash, mixed, m1)), "another proof's part 2");
        // Parts 1 and 2, then the other proof's opening: stage 3 refuses it.
        VerifierSession.Parts late = with(parts, 2, unbound.opening());
        s.run(VerifierSession.lookupsCall(vkHash, statement, late));
        byte[] l2 = s.run(VerifierSession.layersCall(vkHash, statementHash, late, h1)).handover();
        assertTrue(stageRefusal(s, VerifierSession.openingCall(vkHash, statementHash, late, l2)), "another proof's part 3");
        // A part other than the one the session is named by: refused before any stage runs.
        assertTrue(refusal(s, VerifierSession.stageCall("runLayers", vkHash, statementHash, mixed, m1, parts.layers())).contains("WrongPart(stage=2)"));
        assertTrue(refusal(s, VerifierSession.stageCall("runOpening", vkHash, statementHash, late, l2, parts.opening())).contains("WrongPart(stage=3)"));
        // The honest session of this proof, started from the same part 1, is another session: it has not started.
        assertTrue(refusal(s, VerifierSession.layersCall(vkHash, statementHash, parts, h1)).contains("WrongStage"));
        assertFalse(s.verify(vkHash, statement, mixed.proofHash()));
        assertFalse(s.verify(vkHash, statement, late.proofHash()));
    }

    @Test
    void aTamperedOrShiftedPartIsRefused() {
        VerifierSession s = freshSession();
        byte[] statementHash = Hash.sha3(statement);
        // A bit flipped in each part (the session named by the tampered parts): the stage that reads it refuses it.
        VerifierSession.Parts p1 = with(parts, 0, flip(parts.lookups(), parts.lookups().length - 100));
        assertTrue(stageRefusal(s, VerifierSession.lookupsCall(vkHash, statement, p1)), "part 1 tampered");
        VerifierSession.Parts p2 = with(parts, 1, flip(parts.layers(), parts.layers().length / 2));
        s.run(VerifierSession.lookupsCall(vkHash, statement, p2));
        assertTrue(stageRefusal(s, VerifierSession.layersCall(vkHash, statementHash, p2, h1)), "part 2 tampered");
        VerifierSession.Parts p3 = with(parts, 2, flip(parts.opening(), parts.opening().length / 3));
        s.run(VerifierSession.lookupsCall(vkHash, statement, p3));
        byte[] h2 = s.run(VerifierSession.layersCall(vkHash, statementHash, p3, h1)).handover();
        assertTrue(stageRefusal(s, VerifierSession.openingCall(vkHash, statementHash, p3, h2)), "part 3 tampered");
        // The cut moved: a stage must read its part to its end, and no further.
        byte[] l = parts.lookups(), m = parts.layers(), o = parts.opening();
        VerifierSession.Parts longer1 = new VerifierSession.Parts(Arrays.copyOf(l, l.length + 1), Arrays.copyOfRange(m, 1, m.length), o);
        longer1.lookups()[l.length] = m[0];
        assertTrue(refusal(s, VerifierSession.lookupsCall(vkHash, statement, longer1)).contains("WrongPart(stage=1)"), "part 1 with part 2's first byte");
        VerifierSession.Parts longer2 = new VerifierSession.Parts(l, ByteBuffer.allocate(m.length + 1).put(m).put(o[0]).array(), Arrays.copyOfRange(o, 1, o.length));
        s.run(VerifierSession.lookupsCall(vkHash, statement, longer2));
        assertTrue(refusal(s, VerifierSession.layersCall(vkHash, statementHash, longer2, h1)).contains("WrongPart(stage=2)"), "part 2 with part 3's first byte");
        VerifierSession.Parts shorter2 = new VerifierSession.Parts(l, Arrays.copyOf(m, m.length - 1), ByteBuffer.allocate(o.length + 1).put(m[m.length - 1]).put(o).array());
        s.run(VerifierSession.lookupsCall(vkHash, statement, shorter2));
        assertTrue(stageRefusal(s, VerifierSession.layersCall(vkHash, statementHash, shorter2, h1)), "part 2 without its last byte");
        VerifierSession.Parts longer3 = with(parts, 2, Arrays.copyOf(o, o.length + 1));
        s.run(VerifierSession.lookupsCall(vkHash, statement, longer3));
        byte[] g2 = s.run(VerifierSession.layersCall(vkHash, statementHash, longer3, h1)).handover();
        assertTrue(stageRefusal(s, VerifierSession.openingCall(vkHash, statementHash, longer3, g2)), "part 3 with a byte appended");
        // The honest parts under a part hash that is not theirs.
        assertTrue(refusal(s, VerifierSession.stageCall("runLayers", vkHash, statementHash, p2, h1, parts.layers())).contains("WrongPart(stage=2)"));
        for (VerifierSession.Parts t : List.of(p1, p2, p3, longer1, longer2, shorter2, longer3)) {
            assertFalse(s.verify(vkHash, statement, t.proofHash()));
        }
    }

    /** {@code p} with part {@code i} (0, 1, 2) replaced. */
    private static VerifierSession.Parts with(VerifierSession.Parts p, int i, byte[] part) {
        return new VerifierSession.Parts(i == 0 ? part : p.lookups(), i == 1 ? part : p.layers(), i == 2 ? part : p.opening());
    }

    private static byte[] flip(byte[] b, int at) {
        byte[] t = b.clone();
        t[at] ^= 1;
        return t;
    }

    /** Whether the session call {@code data} is refused by a stage (Rejected or Malformed), not by the session's own checks. */
    private static boolean stageRefusal(VerifierSession s, String data) {
        String why = refusal(s, data);
        return why.contains("Rejected(code=") || why.contains("Malformed(pos=");
    }

    @Test
    void anotherKeyGetsItsOwnVerdictOnly() {
        VerifierSession s = freshSession();
        byte[] program = f.layerProgram().clone();
        program[program.length / 2] ^= 1;
        byte[] otherProgram = s.registerKey(keyParts(program, f.layerRegisters())).handover();
        assertTrue(refusal(s, VerifierSession.lookupsCall(otherProgram, statement, parts)).contains("WrongStatement(part=1)"),
                "the market's statement names its registered key");
        // A key with one register more runs the same program and accepts, under its own vkHash only.
        byte[] roomier = s.registerKey(keyParts(f.layerProgram(), f.layerRegisters() + 1)).handover();
        byte[] roomierStatement = statement.clone();
        System.arraycopy(roomier, 0, roomierStatement, 32, 32);
        s.runAll(roomier, roomierStatement, parts);
        assertTrue(s.verify(roomier, roomierStatement, parts.proofHash()));
        assertFalse(s.verify(vkHash, statement, parts.proofHash()), "the registered key's session never ran");
        assertTrue(refusal(s, VerifierSession.layersCall(vkHash, Hash.sha3(statement), parts, h1)).contains("WrongStage"));
    }

    @Test
    void skippingReplayingOrReorderingAStageIsRefused() {
        VerifierSession s = freshSession();
        byte[] statementHash = Hash.sha3(statement);
        byte[] proofHash = parts.proofHash();
        assertTrue(refusal(s, VerifierSession.layersCall(vkHash, statementHash, parts, h1)).contains("WrongStage"), "stage 2 first");
        assertTrue(refusal(s, VerifierSession.openingCall(vkHash, statementHash, parts, h1)).contains("WrongStage"), "stage 3 first");
        assertTrue(refusal(s, VerifierSession.finalCall(vkHash, statementHash, proofHash, h1)).contains("WrongStage"), "stage 4 first");
        s.run(VerifierSession.lookupsCall(vkHash, statement, parts));
        assertTrue(refusal(s, VerifierSession.openingCall(vkHash, statementHash, parts, h1)).contains("WrongStage"), "stage 3 after stage 1");
        assertTrue(refusal(s, VerifierSession.finalCall(vkHash, statementHash, proofHash, h1)).contains("WrongStage"), "stage 4 after stage 1");
        assertTrue(refusal(s, VerifierSession.lookupsCall(Hash.sha3(vkHash), statement, parts)).contains("UnknownKey"));
        byte[] h2 = s.run(VerifierSession.layersCall(vkHash, statementHash, parts, h1)).handover();
        assertTrue(refusal(s, VerifierSession.finalCall(vkHash, statementHash, proofHash, h2)).contains("WrongStage"), "stage 4 after stage 2");
        assertTrue(refusal(s, VerifierSession.layersCall(vkHash, statementHash, parts, h1)).contains("WrongStage"), "stage 2 replayed");
        assertTrue(refusal(s, VerifierSession.lookupsCall(vkHash, statement, parts)).contains("WrongStage"), "stage 1 after stage 2");
        byte[] h3 = s.run(VerifierSession.openingCall(vkHash, statementHash, parts, h2)).handover();
        assertTrue(refusal(s, VerifierSession.openingCall(vkHash, statementHash, parts, h2)).contains("WrongStage"), "stage 3 replayed");
        assertTrue(refusal(s, VerifierSession.layersCall(vkHash, statementHash, parts, h1)).contains("WrongStage"), "stage 2 after stage 3");
        assertFalse(s.verify(vkHash, statement, proofHash), "no verdict before stage 4");
        s.run(VerifierSession.finalCall(vkHash, statementHash, proofHash, h3));
        assertTrue(s.verify(vkHash, statement, proofHash));
        assertTrue(refusal(s, VerifierSession.finalCall(vkHash, statementHash, proofHash, h3)).contains("WrongStage"), "stage 4 replayed");
        assertTrue(refusal(s, VerifierSession.openingCall(vkHash, statementHash, parts, h2)).contains("WrongStage"), "stage 3 after the verdict");
    }

    @Test
    void aProofOfAnotherStatementIsRefused() {
        assertTrue(refusalOf(w.market.statementOf(id, input, otherOutput())).contains("WrongStatement(part=4)"), "another output");
        List<long[]> otherInput = f.statement(f.proof).inputs().stream().map(long[]::clone).toList();
        otherInput.getFirst()[0] += 1;
        assertTrue(refusalOf(w.market.statementOf(id, tensors(otherInput), output)).contains("WrongStatement(part=3)"), "another input");
        // One value changed anywhere (each of the first nine, the middle, the last; in its low bits or only above the packed width): refused.
        List<long[]> in = f.statement(f.proof).inputs();
        int n = in.getFirst().length;
        for (int at : new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, n / 2, n - 1}) {
            for (long delta : new long[] {1, 1L << 40, Long.MIN_VALUE}) {
                List<long[]> changed = in.stream().map(long[]::clone).toList();
                changed.getFirst()[at] += delta;
                assertTrue(refusalOf(w.market.statementOf(id, tensors(changed), output)).contains("WrongStatement(part=3)"), "input value " + at + " + " + delta);
            }
        }
        List<long[]> out = f.statement(f.proof).outputs();
        for (int at = 0; at < out.getFirst().length; at++) {
            List<long[]> changed = out.stream().map(long[]::clone).toList();
            changed.getFirst()[at] -= 1;
            assertTrue(refusalOf(w.market.statementOf(id, input, tensors(changed))).contains("WrongStatement(part=4)"), "output value " + at);
        }
        assertTrue(refusalOf(w.market.statementOf(id, input, Arrays.copyOf(output, output.length + 1))).contains("WrongStatement(part=4)"),
                "an output encoding with a trailing byte");
        byte[] otherHolder = statement.clone();
        System.arraycopy(w.market.proofContext(id, w.prover2.address()), 0, otherHolder, 64, 32);
        assertTrue(refusalOf(otherHolder).contains("WrongStatement(part=2)"), "another lock holder's context");
        byte[] otherDomain = statement.clone();
        System.arraycopy(Hash.sha3("another domain".getBytes(StandardCharsets.UTF_8)), 0, otherDomain, 0, 32);
        assertTrue(refusalOf(otherDomain).contains("WrongStatement(part=1)"), "another domain");
        assertTrue(refusal(session, VerifierSession.lookupsCall(vkHash, statement, unbound)).contains("WrongStatement(part=2)"), "a proof without context");
        assertFalse(session.verify(vkHash, w.market.statementOf(id, input, otherOutput()), parts.proofHash()));
    }

    /** The refusal of the session call {@code data} (its simulation), as one line; fails if the session accepts it. */
    private static String refusal(VerifierSession s, String data) {
        try {
            s.account().call(s.address(), data, VerifierSession::describe);
        } catch (ChainException e) {
            return e.getMessage();
        }
        throw new AssertionError("the session accepted the call");
    }

    private String refusalOf(byte[] otherStatement) {
        return refusal(session, VerifierSession.lookupsCall(vkHash, otherStatement, parts));
    }

    /**
     * The market's encoding of tensors (verinfer-market's StatementCodec, which the chain backend uses for
     * requests and results): u32 count, then per tensor u32 length and its int64 values, big-endian.
     */
    static byte[] tensors(List<long[]> values) {
        ByteBuffer out = ByteBuffer.allocate(4 + values.stream().mapToInt(t -> 4 + 8 * t.length).sum()).putInt(values.size());
        for (long[] t : values) {
            out.putInt(t.length);
            for (long v : t) {
                out.putLong(v);
            }
        }
        return out.array();
    }

    /** The proof's output with its first value changed, encoded. */
    private byte[] otherOutput() {
        List<long[]> out = f.statement(f.proof).outputs().stream().map(long[]::clone).toList();
        out.getFirst()[0] += 1;
        return tensors(out);
    }
}
