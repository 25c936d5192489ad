package dev.verinfer.market;

import dev.verinfer.ledger.EmbeddedLedger;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The market with the real zkml verifier on an embedded ledger in {@code dir}, its blocks timed by a
 * test clock: what the scenario tests with real proofs share, including their closing check.
 */
record ZkmlLedger(Path dir, Signer operator, AtomicLong clock) {
    EmbeddedLedger<Market> open() throws IOException {
        return EmbeddedLedger.open(dir, new Market(MarketDriver.params(operator), new ZkmlProofVerifier()), new EmbeddedLedger.Options(4, 100, clock::get));
    }

    /** Closes {@code ledger} and reopens its directory: snapshot + journal replay must rebuild the same state at the same height, invariants holding. */
    void assertReopensTheSame(EmbeddedLedger<Market> ledger) throws IOException {
        byte[] before = ledger.read(Market::snapshot);
        long height = ledger.height();
        ledger.close();
        try (EmbeddedLedger<Market> reopened = open()) {
            assertEquals(height, reopened.height());
            assertArrayEquals(before, reopened.read(Market::snapshot), "state rebuilt from snapshot + journal replay");
            assertEquals(List.of(), reopened.read(mk -> Invariants.violations(mk.state())));
        }
    }
}
