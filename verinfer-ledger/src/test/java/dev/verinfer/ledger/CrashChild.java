package dev.verinfer.ledger;

import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The process {@link CrashRecoveryTest} kills: opens the ledger in {@code args[0]} and produces
 * blocks of padded random transfers forever, acknowledging each once it is durable.
 */
public final class CrashChild {
    static final EmbeddedLedger.Options OPTIONS = new EmbeddedLedger.Options(5, 1_000, System::currentTimeMillis);

    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        SplittableRandom random = new SplittableRandom(Long.parseLong(args[1]));
        try (EmbeddedLedger<TransferMachine> ledger = EmbeddedLedger.open(Path.of(args[0]), new TransferMachine(), OPTIONS)) {
            SigkillRounds.opened(ledger.height());
            while (true) {
                int n = random.nextInt(1, 60);
                for (int i = 0; i < n; i++) {
                    ledger.submit(TransferMachine.transfer(random.nextInt(TransferMachine.ACCOUNTS), random.nextInt(TransferMachine.ACCOUNTS),
                            random.nextLong(0, 400), random.nextInt(0, 8_000)));
                }
                SigkillRounds.acknowledged(ledger.produceBlock());
            }
        }
    }
}
