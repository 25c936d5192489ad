package dev.verinfer.server;

import dev.verinfer.api.Head;
import dev.verinfer.ledger.Block;

/** The latest durable block, and waiting (long-polling) for a newer one. */
final class HeadWatch {
    private Head head;

    HeadWatch(Head initial) {
        head = initial;
    }

    synchronized void onBlock(Block b) {
        head = new Head(b.height(), b.hash().hex(), b.timeMillis());
        notifyAll();
    }

    synchronized Head head() {
        return head;
    }

    /** The head once its height exceeds {@code after}, or the head as it is after {@code maxMillis}. */
    synchronized Head after(long after, long maxMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + maxMillis;
        for (long left = maxMillis; head.height() <= after && left > 0; left = end - System.currentTimeMillis()) {
            wait(left);
        }
        return head;
    }
}
