package dev.verinfer.node;

import dev.verinfer.ledger.Block;
import dev.verinfer.ledger.EmbeddedLedger;
import dev.verinfer.ledger.TxOutcome;
import dev.verinfer.market.Market;
import dev.verinfer.market.MarketAccount;
import dev.verinfer.market.MarketParams;
import dev.verinfer.market.Mode;
import dev.verinfer.market.Payment;
import dev.verinfer.market.Signer;
import dev.verinfer.market.ProofContext;
import dev.verinfer.market.StatementCodec;
import dev.verinfer.market.Tx;
import dev.verinfer.market.ZkmlProofVerifier;
import dev.verinfer.zkml.Proof;
import dev.verinfer.zkml.PublicStatement;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The demo's last step: the proven inference bought and paid for on a fresh embedded market ledger
 * (a durable, fsync'd journal in {@code dir}): the owner registers the model, a prover stakes, a
 * client posts a ZK-mode request with the fee in escrow, the prover locks it and submits the output
 * with the proof, and the ledger verifies the proof before it pays.
 */
final class DemoSettlement {
    private static final String CHAIN = "verinfer-demo";
    private static final long MAX_FEE = 2_000;

    /** What the ledger paid for the request. */
    record Result(long requestId, long height, long price, long royalty, long protocolFee, Path journal) {
        String describe() {
            return String.format("request #%d paid on the embedded ledger at block %d: %d to the prover (royalty %d to the model owner, protocol fee %d) -> %s",
                    requestId, height, price - royalty - protocolFee, royalty, protocolFee, journal);
        }
    }

    private DemoSettlement() {}

    /**
     * @param statement what was proven (its input is the request's, its output the result's)
     * @param proveFor  the prover, re-proving bound to the market's {@link ProofContext} for the request it locked
     */
    static Result settle(Path dir, byte[] verifyingKey, PublicStatement statement, Function<byte[], Proof> proveFor) {
        try {
            deleteTree(dir);
            AtomicLong clock = new AtomicLong(1_000_000);
            Signer operatorKey = Signer.generate(CHAIN);
            Market market = new Market(MarketParams.defaults(CHAIN, operatorKey.accountId()), new ZkmlProofVerifier());
            try (EmbeddedLedger<Market> ledger = EmbeddedLedger.open(dir, market, new EmbeddedLedger.Options(16, 100, clock::get))) {
                MarketAccount operator = new MarketAccount(operatorKey, ledger);
                MarketAccount owner = new MarketAccount(Signer.generate(CHAIN), ledger);
                MarketAccount client = new MarketAccount(Signer.generate(CHAIN), ledger);
                MarketAccount prover = new MarketAccount(Signer.generate(CHAIN), ledger);
                operator.send(new Tx.Deposit(owner.id(), 1_000));
                operator.send(new Tx.Deposit(client.id(), 10_000));
                operator.send(new Tx.Deposit(prover.id(), 10_000));
                block(ledger, clock);
                owner.send(new Tx.RegisterModel(verifyingKey, 50));
                prover.send(new Tx.RegisterProver(5_000));
                block(ledger, clock);
                String model = new ZkmlProofVerifier().modelId(verifyingKey);
                long id = ledger.read(m -> m.state().nextRequestId());
                client.send(new Tx.SubmitRequest(model, StatementCodec.encode(statement.inputs()), MAX_FEE, clock.get() + 600_000, new Mode.Zk()));
                block(ledger, clock);
                prover.send(new Tx.LockRequest(id));
                block(ledger, clock);
                Proof bound = proveFor.apply(ProofContext.request(CHAIN, id, prover.id()));
                prover.send(new Tx.SubmitResult(id, StatementCodec.encode(statement.outputs()), bound.bytes()));
                Block paid = block(ledger, clock);
                Payment p = ledger.read(m -> m.state().payments().stream().filter(x -> x.requestId() == id).findFirst())
                        .orElseThrow(() -> new CliException(ExitCodes.INTERNAL, "the ledger accepted the result but made no payment"));
                return new Result(id, paid.height(), p.price(), p.royalty(), p.protocolFee(), dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Seals the queued transactions into one block; every one of them must be accepted. */
    private static Block block(EmbeddedLedger<Market> ledger, AtomicLong clock) throws IOException {
        clock.addAndGet(1_000);
        Block b = ledger.produceBlock();
        for (TxOutcome o : b.outcomes()) {
            if (!o.accepted()) {
                throw new CliException(ExitCodes.INTERNAL, "the demo ledger refused a transaction: " + o.reason());
            }
        }
        return b;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
