package dev.verinfer.ledger;

import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The process {@link CrashRecoveryTest} kills: opens the ledger in {@code args[0]} and produces
 * blocks of padded random transfers forever, printing {@code ACK height hash} after each block is
 * durable.
 */
public final class CrashChild {
    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        SplittableRandom random = new SplittableRandom(Long.parseLong(args[1]));
        try (EmbeddedLedger<TransferMachine> ledger = EmbeddedLedger.open(Path.of(args[0]), new TransferMachine(),
                new EmbeddedLedger.Options(5, 1_000, System::currentTimeMillis))) {
            System.out.println("OPEN " + ledger.height());
            System.out.flush();
            while (true) {
                int n = random.nextInt(1, 60);
                for (int i = 0; i < n; i++) {
                    ledger.submit(TransferMachine.transfer(random.nextInt(TransferMachine.ACCOUNTS), random.nextInt(TransferMachine.ACCOUNTS),
                            random.nextLong(0, 400), random.nextInt(0, 8_000)));
                }
                Block b = ledger.produceBlock();
                System.out.println("ACK " + b.height() + " " + b.hash());
                System.out.flush();
            }
        }
    }
}
