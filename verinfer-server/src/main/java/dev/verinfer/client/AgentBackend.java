package dev.verinfer.client;

import dev.verinfer.market.MarketParams;
import dev.verinfer.market.Request;
import dev.verinfer.market.TxSender;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The market as a {@link RemoteAgent} sees it, whatever settles it: the embedded market behind a
 * node's API ({@link #node}) or a market contract on an Ethereum chain. The agent runs the same
 * automaton ({@code ProverWorker}, {@code Watcher}) on either.
 */
public interface AgentBackend {
    /** The newest block: its height and time (milliseconds). */
    record Tip(long height, long timeMillis) {
    }

    /** The market could not be reached; the agent waits and starts afresh. */
    final class Unreachable extends RuntimeException {
        public Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Where the market is, for the agent's first line. */
    String where();

    /** The agent's account: the automaton sends through it, {@link #flush} submits. */
    TxSender account();

    MarketParams params();

    /** The tip once its height exceeds {@code height}, or as it is after {@code waitMillis}. */
    Tip tipAfter(long height, long waitMillis);

    /** The live requests of {@code models} (vk model ids), with the input of each request {@code needsInput} accepts (it sees them without). */
    List<Request> live(Set<String> models, Predicate<Request> needsInput);

    /** Submits what the automaton sent since the last flush, in order, reporting each to {@code log}. */
    void flush(RemoteAgent.Log log);

    /** The embedded market behind a node's API, as {@code account}. */
    static AgentBackend node(MarketClient client, RemoteAccount account) {
        return new NodeBackend(client, account);
    }
}
