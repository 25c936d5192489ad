package dev.verinfer.node;

import java.io.PrintWriter;

/**
 * A one-line progress display on stderr: a spinner, the current step, an optional bar of done/total,
 * and the elapsed time, redrawn in place. Nothing is drawn for work that ends within a second, and
 * nothing at all when disabled (--quiet, --json, or stderr not a terminal).
 */
final class Progress implements AutoCloseable {
    private static final String SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";
    private static final long DELAY_NANOS = 1_000_000_000L;
    private static final int BAR = 20;

    private final PrintWriter err;
    private final long start = System.nanoTime();
    private final Thread painter;
    private volatile String step;
    private volatile int done, total;
    private int drawnWidth;

    /** The step most recently started by any progress display (named by the out-of-memory message). */
    private static volatile String lastStep = "starting";

    static String lastStep() { return lastStep; }

    private Progress(PrintWriter err, String step, boolean enabled) {
        this.err = err;
        this.step = step;
        lastStep = step;
        this.painter = enabled ? Thread.ofPlatform().daemon().name("verinfer-progress").start(this::paintLoop) : null;
    }

    static Progress start(PrintWriter err, String step, boolean enabled) {
        return new Progress(err, step, enabled);
    }

    /** A new step of indeterminate length. */
    void step(String step) {
        update(step, 0, 0);
    }

    /** A new step, {@code done} of {@code total} units finished. */
    void update(String step, int done, int total) {
        this.step = step;
        lastStep = step;
        this.done = done;
        this.total = total;
    }

    private void paintLoop() {
        try {
            for (int frame = 0; ; frame++) {
                Thread.sleep(100);
                if (System.nanoTime() - start >= DELAY_NANOS) paint(frame);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void paint(int frame) {
        StringBuilder line = new StringBuilder().append(SPINNER.charAt(frame % SPINNER.length())).append(' ').append(step);
        if (total > 0) {
            int filled = done * BAR / total;
            line.append("  [").append("#".repeat(filled)).append("-".repeat(BAR - filled)).append("] ").append(done).append('/').append(total);
        }
        line.append(String.format("  %.1f s", (System.nanoTime() - start) / 1e9));
        String text = line.toString();
        err.print("\r" + text + " ".repeat(Math.max(0, drawnWidth - text.length())));
        err.flush();
        drawnWidth = text.length();
    }

    @Override public void close() {
        if (painter == null) return;
        painter.interrupt();
        try {
            painter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (drawnWidth > 0) {
                err.print("\r" + " ".repeat(drawnWidth) + "\r");
                err.flush();
            }
        }
    }
}
