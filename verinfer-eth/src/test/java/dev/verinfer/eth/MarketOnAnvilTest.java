package dev.verinfer.eth;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * Scenario tests of the market contract: one anvil per test class, the contracts deployed afresh
 * for every test ({@link World}), value conservation checked from chain state before and after every
 * test, and the gas of each named step printed when the class is done.
 */
abstract class MarketOnAnvilTest {
    static Chain chain;
    static GasLog GAS;
    World w;

    @BeforeAll
    static void startChain() throws Exception {
        chain = new Chain();
        GAS = new GasLog();
    }

    @AfterAll
    static void stopChain(TestInfo info) {
        System.out.println("Gas per step (" + info.getDisplayName() + ", verdicts of the test-only verifier):");
        System.out.print(GAS.table());
        chain.close();
    }

    @BeforeEach
    void deploy() {
        w = new World(chain, GAS);
        w.checkConservation();
    }

    @AfterEach
    void conserved() {
        w.checkConservation();
    }
}
