package dev.verinfer.market;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link ZkmlInference}'s remembered outputs on alexa_v0.1: agents of one process asking at once for
 * one input's output all get the model's output (as a fresh instance computes it), a caller changing
 * the bytes it got does not change what others get, and an input that does not run fails every time.
 */
class ZkmlInferenceTest {
    @Test
    void agentsAskingAtOnceGetTheModelsOutputAndAnInputThatDoesNotRunFailsEachTime() throws Exception {
        AlexaFlows flows = AlexaFlows.get();
        String model = flows.alexa.provingKey.verifyingKey().modelIdHex();
        ZkmlInference shared = new ZkmlInference(List.of(flows.alexa.provingKey));
        List<byte[]> expected = flows.inputs.stream().map(in -> new ZkmlInference(List.of(flows.alexa.provingKey)).output(model, in)).toList();

        ExecutorService agents = Executors.newFixedThreadPool(4);
        try {
            List<Callable<List<byte[]>>> asks = new ArrayList<>();
            for (int a = 0; a < 4; a++) {
                asks.add(() -> flows.inputs.stream().map(in -> shared.output(model, in)).toList());
            }
            for (Future<List<byte[]>> got : agents.invokeAll(asks)) {
                List<byte[]> outs = got.get();
                for (int i = 0; i < expected.size(); i++) {
                    assertArrayEquals(expected.get(i), outs.get(i));
                }
                outs.getFirst()[0] ^= 1;
            }
        } finally {
            agents.shutdown();
        }
        assertArrayEquals(expected.getFirst(), shared.output(model, flows.inputs.getFirst()));

        byte[] noTensors = StatementCodec.encode(List.of());
        for (int i = 0; i < 2; i++) {
            assertThrows(IllegalArgumentException.class, () -> shared.output(model, noTensors));
        }
        assertThrows(IllegalArgumentException.class, () -> shared.output("unknown", flows.inputs.getFirst()));
    }
}
