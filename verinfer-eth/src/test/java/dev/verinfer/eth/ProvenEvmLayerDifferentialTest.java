package dev.verinfer.eth;

import dev.verinfer.zkml.PcsSecurity;

/**
 * {@link LayerDifferentialTest}'s tampers under a proven-evm key, whose layer program differs: its sigmoid window is committed
 * with the weights (TableCommitment), so stage 1 hands the table's values-column claim to the program's weight batch.
 */
class ProvenEvmLayerDifferentialTest extends LayerDifferentialTest {
    @Override
    PcsSecurity security() {
        return PcsSecurity.PROVEN_EVM;
    }
}
