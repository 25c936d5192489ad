package dev.verinfer.eth;

import org.web3j.protocol.core.methods.response.Log;

import java.util.List;

/** A mined, successful transaction: its hash, block, gas used, the contract it created (or empty) and its event logs. */
public record Receipt(String txHash, long block, long gasUsed, String contractAddress, List<Log> logs) {
    public Receipt {
        logs = List.copyOf(logs);
    }
}
