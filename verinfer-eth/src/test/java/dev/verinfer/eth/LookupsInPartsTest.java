package dev.verinfer.eth;

import dev.verinfer.field.Goldilocks;
import dev.verinfer.zkml.EthProofFixture;
import dev.verinfer.zkml.PcsSecurity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.web3j.crypto.Hash;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stage 1 in parts (ZkmlVerifierSession.runLookupsUpTo, then runTables over the key's remaining tables; docs/ethereum.md, branch
 * ocrchain28) on alexa_v0.1's proven key, whose function table stage 1 evaluates (not committed with the weights): every split of
 * the tables accepts the honest proof with stage 1's own hand-over; a part run out of order, twice, skipped, empty, past the last
 * table or on another proof's hand-over is refused; and a key with another table is refused by exactly the parts that check that
 * table, with the whole stage's rejection; the statement, which the first part does not check, is checked by runStatement. anvil with 30 M blocks that refuses a transaction over EIP-7825's 2^24 gas.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LookupsInPartsTest {
    private static final PcsSecurity SECURITY = PcsSecurity.PROVEN;

    private Chain chain;
    private EthProofFixture f;
    private VerifierSession session;
    private byte[] vkHash;
    private int n;
    private int contexts;

    @BeforeAll
    void start() throws Exception {
        chain = new Chain(0, true);
        f = EthProofFixture.alexa(SECURITY);
        ChainAccount deployer = chain.account("lookups-in-parts");
        session = new VerifierSession(deployer, VerifierSession.deploy(deployer, VerifierSession.deployStages(deployer)).contractAddress());
        vkHash = session.registerKey(f.keyParts()).handover();
        n = session.tableCount(vkHash);
        assertTrue(n >= 2, "alexa_v0.1's key has " + n + " tables");
    }

    @AfterAll
    void stop() {
        if (chain != null) {
            chain.close();
        }
    }

    /** A fresh honest proof bound to a context of its own (a session accepts once), its statement under {@code vk} and its parts. */
    private record Bound(byte[] statementHash, byte[] statement, VerifierSession.Parts parts, byte[] proof) {
        byte[] proofHash() {
            return parts.proofHash();
        }
    }

    private Bound bound(byte[] vk) {
        byte[] context = Hash.sha3(("lookups in parts " + contexts++).getBytes(StandardCharsets.UTF_8));
        byte[] proof = f.proveBound(context);
        byte[] statement = RealModelGasTest.statement(f, vk, context, proof);
        return new Bound(Hash.sha3(statement), statement, session.split(vkHash, proof), proof);
    }

    private String refusal(String data) {
        try {
            session.account().call(session.address(), data, VerifierSession::describe);
        } catch (ChainException e) {
            return e.getMessage();
        }
        throw new AssertionError("the session accepted the call");
    }

    private VerifierSession.Step tables(byte[] vk, Bound b, byte[] handover, int from, int to) {
        return session.run(tablesCall(vk, b, handover, from, to));
    }

    private String tablesCall(byte[] vk, Bound b, byte[] handover, int from, int to) {
        return VerifierSession.tablesCall(vk, b.statement(), b.proofHash(), handover, from, to);
    }

    /** Stage 1's statement check once every table is checked, stages 2 to 4 on stage 1's hand-over; whether the session then accepts. */
    private boolean finish(Bound b, byte[] handover) {
        session.run(VerifierSession.statementCall(vkHash, b.statement(), b.proofHash(), handover));
        VerifierSession.Step layers = session.run(VerifierSession.layersCall(vkHash, b.statementHash(), b.parts(), handover));
        VerifierSession.Step opening = session.run(VerifierSession.openingCall(vkHash, b.statementHash(), b.parts(), layers.handover()));
        session.run(VerifierSession.finalCall(vkHash, b.statementHash(), b.proofHash(), opening.handover()));
        return session.verify(vkHash, b.statement(), b.proofHash());
    }

    @Test
    void everySplitOfTheTablesAcceptsTheHonestProofWithStageOnesOwnHandover() {
        for (int to = 0; to < n; to++) {
            Bound b = bound(vkHash);
            byte[] whole = session.handover(VerifierSession.lookupsCall(vkHash, b.statement(), b.parts()));
            VerifierSession.Step first = session.run(VerifierSession.lookupsUpToCall(vkHash, b.statement(), b.parts(), to));
            assertArrayEquals(whole, first.handover(), "the first part hands over what stage 1 whole does");
            List<Long> gas = new ArrayList<>(List.of(first.receipt().gasUsed()));
            for (int t = to; t < n; t++) {
                gas.add(tables(vkHash, b, first.handover(), t, t + 1).receipt().gasUsed());
            }
            assertTrue(finish(b, first.handover()), "tables [0, " + to + ") then one at a time: the session accepts the honest proof");
            System.out.printf("alexa_v0.1 %s stage 1 as tables [0, %d) then one a transaction: %s%n", SECURITY.label(), to, gas);
        }
        // The prover's plan: stage 1 over a cap below its whole gas goes in parts, each under that cap.
        Bound b = bound(vkHash);
        long stageOne = session.account().estimateGas(session.address(), VerifierSession.lookupsCall(vkHash, b.statement(), b.parts()), VerifierSession::describe);
        List<VerifierSession.Step> steps = session.runAll(vkHash, b.statement(), b.parts(), stageOne - 1, Long.MAX_VALUE);
        assertTrue(steps.size() > 4, "stage 1 over its cap goes in parts");
        for (VerifierSession.Step st : steps.subList(0, steps.size() - 3)) {
            assertTrue(st.receipt().gasUsed() < stageOne, "each part of stage 1 is under the cap");
        }
        assertTrue(session.verify(vkHash, b.statement(), b.proofHash()), "the planned parts verify the honest proof");
        System.out.printf("alexa_v0.1 %s planned under %,d: %s%n", SECURITY.label(), stageOne - 1, steps.stream().map(st -> st.receipt().gasUsed()).toList());
    }

    @Test
    void aPartOutOfOrderTwiceSkippedEmptyPastTheEndOrOfAnotherProofIsRefused() {
        Bound other = bound(vkHash);
        VerifierSession.Step otherFirst = session.run(VerifierSession.lookupsUpToCall(vkHash, other.statement(), other.parts(), 0));
        Bound b = bound(vkHash);
        byte[] h = session.handover(VerifierSession.lookupsCall(vkHash, b.statement(), b.parts()));
        assertTrue(refusal(tablesCall(vkHash, b, h, 0, 1)).contains("WrongHandover"),
                "table checks before stage 1's first part");
        assertTrue(refusal(VerifierSession.lookupsUpToCall(vkHash, b.statement(), b.parts(), n)).contains("Rejected(code=137)"),
                "a first part checking every table (that is runLookups)");
        VerifierSession.Step first = session.run(VerifierSession.lookupsUpToCall(vkHash, b.statement(), b.parts(), 1));
        assertTrue(refusal(VerifierSession.lookupsUpToCall(vkHash, b.statement(), b.parts(), 1)).contains("WrongStage"), "the first part twice");
        assertTrue(refusal(VerifierSession.lookupsUpToCall(vkHash, b.statement(), b.parts(), 0)).contains("WrongStage"),
                "the first part again, setting the tables checked back");
        assertTrue(refusal(VerifierSession.layersCall(vkHash, b.statementHash(), b.parts(), h)).contains("WrongStage"), "stage 2 with tables unchecked");
        assertTrue(refusal(tablesCall(vkHash, b, h, 0, n)).contains("WrongTables"),
                "tables checked already, again");
        if (n > 2) {
            assertTrue(refusal(tablesCall(vkHash, b, h, 2, n)).contains("WrongTables"), "a table skipped");
        }
        assertTrue(refusal(tablesCall(vkHash, b, h, 1, 1)).contains("WrongTables"), "an empty range");
        assertTrue(refusal(tablesCall(vkHash, b, h, 1, n + 1)).contains("Rejected(code=137)"),
                "a range past the last table");
        assertTrue(refusal(tablesCall(vkHash, b, otherFirst.handover(), 1, n)).contains("WrongHandover"),
                "another proof's hand-over");
        assertTrue(refusal(tablesCall(vkHash, other, h, 0, n)).contains("WrongHandover"),
                "this proof's hand-over in another proof's session");
        assertTrue(refusal(VerifierSession.statementCall(vkHash, b.statement(), b.proofHash(), h)).contains("WrongTables"),
                "the statement check before every table is checked");
        tables(vkHash, b, first.handover(), 1, n);
        assertTrue(refusal(tablesCall(vkHash, b, h, 1, n)).contains("WrongTables"), "the last tables twice");
        assertTrue(refusal(tablesCall(vkHash, b, h, n, n + 1)).contains("WrongTables"), "tables past the last, once all are checked");
        assertTrue(refusal(VerifierSession.statementCall(vkHash, other.statement(), b.proofHash(), h)).contains("WrongHandover"),
                "the statement check on another proof's statement");
        assertTrue(finish(b, h), "the honest parts in order are accepted after the refused ones");
        assertTrue(refusal(VerifierSession.statementCall(vkHash, b.statement(), b.proofHash(), h)).contains("WrongStage"),
                "the statement check twice, once stage 2 ran");
    }

    @Test
    void theStatementCheckRefusesAStatementThatIsNotTheProofs() {
        Bound b = bound(vkHash);
        // a session named by a statement that is not the proof's (another context): its first part does not look, its last refuses
        byte[] wrong = RealModelGasTest.statement(f, vkHash, Hash.sha3("another request".getBytes(StandardCharsets.UTF_8)), b.proof());
        VerifierSession.Step first = session.run(VerifierSession.lookupsUpToCall(vkHash, wrong, b.parts(), n - 1));
        session.run(VerifierSession.tablesCall(vkHash, wrong, b.proofHash(), first.handover(), n - 1, n));
        assertTrue(refusal(VerifierSession.statementCall(vkHash, wrong, b.proofHash(), first.handover())).contains("WrongStatement(part=2)"),
                "the statement check of a session named by a statement whose context is not the proof's");
        // the honest statement's session goes through
        VerifierSession.Step honest = session.run(VerifierSession.lookupsUpToCall(vkHash, b.statement(), b.parts(), n - 1));
        tables(vkHash, b, honest.handover(), n - 1, n);
        assertTrue(finish(b, honest.handover()), "the honest statement's session accepts");
    }

    @Test
    void aKeyWithAnotherTableIsRefusedByThePartsThatCheckThatTableOnly() {
        VerifierSession.KeyParts honest = f.keyParts();
        List<long[]> values = f.functionTableValues();
        long[] other = values.getFirst().clone();
        other[other.length - 1] = Goldilocks.add(other[other.length - 1], 1); // as EthProofFixture.proveWithAnotherTable's table
        ByteArrayOutputStream tables = new ByteArrayOutputStream();
        for (int i = 0; i < values.size(); i++) {
            tables.writeBytes(TableCode.encode(i == 0 ? other : values.get(i)));
        }
        // cfg ends with (kind, input minimum, tree code words) per table: the first of kind 1 is the table changed
        List<BigInteger> cfg = new ArrayList<>(honest.cfg());
        int base = cfg.size() - 3 * n;
        int k = 0;
        while (cfg.get(base + 3 * k).intValueExact() != 1) {
            k++;
        }
        cfg.set(base + 3 * k + 2, BigInteger.valueOf(TableCode.encode(other).length / 8));
        VerifierSession.KeyParts key = new VerifierSession.KeyParts(honest.modelId(), cfg, tables.toByteArray(), honest.program(), honest.registers(),
                honest.weightRoot(), honest.weightVars(), honest.witnessVars(), honest.soundness());
        byte[] vk = session.registerKey(key).handover();
        Bound b = bound(vk);
        String whole = refusal(VerifierSession.wholeCall(vk, b.statement(), b.parts()));
        assertTrue(whole.contains("Rejected(code=132)"), "the whole verification refuses the other table: " + whole);
        for (int to = 0; to < n; to++) {
            String data = VerifierSession.lookupsUpToCall(vk, b.statement(), b.parts(), to);
            if (to <= k) {
                session.handover(data); // accepted: table k is left to a later part
            } else {
                assertEquals(whole, refusal(data), "a first part that checks table " + k);
            }
        }
        VerifierSession.Step first = session.run(VerifierSession.lookupsUpToCall(vk, b.statement(), b.parts(), k));
        for (int to = k + 1; to <= n; to++) {
            assertEquals(whole, refusal(tablesCall(vk, b, first.handover(), k, to)),
                    "a part that checks table " + k);
        }
        System.out.printf("alexa_v0.1 %s with another table %d of %d: refused by the parts that check it (%s)%n", SECURITY.label(), k, n, whole);
    }
}
