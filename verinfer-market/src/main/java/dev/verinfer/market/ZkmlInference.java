package dev.verinfer.market;

import dev.verinfer.model.quant.Execution;
import dev.verinfer.model.quant.IntegerExecutor;
import dev.verinfer.model.quant.QuantGraph;
import dev.verinfer.zkml.Prover;
import dev.verinfer.zkml.ProvingKey;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Inference and proofs by verinfer-zkml for the models whose proving keys it holds. A request's
 * input is the statement's quantised input; it is run as the floats it dequantises to, which
 * quantise back to exactly the same integers.
 */
public final class ZkmlInference implements InferenceService {
    private final Map<String, ProvingKey> keys;

    public ZkmlInference(List<ProvingKey> keys) {
        Map<String, ProvingKey> byId = new HashMap<>();
        keys.forEach(k -> byId.put(k.verifyingKey().modelIdHex(), k));
        this.keys = Map.copyOf(byId);
    }

    @Override
    public byte[] output(String modelId, byte[] input) {
        QuantGraph g = key(modelId).graph();
        Execution ex = execute(g, input);
        return StatementCodec.encode(g.outputs().stream().map(ex::value).toList());
    }

    @Override
    public byte[] prove(String modelId, byte[] input, byte[] context) {
        ProvingKey key = key(modelId);
        return Prover.prove(key, execute(key.graph(), input), context).bytes();
    }

    private ProvingKey key(String modelId) {
        ProvingKey k = keys.get(modelId);
        if (k == null) {
            throw new IllegalArgumentException("no proving key for model " + modelId);
        }
        return k;
    }

    private static Execution execute(QuantGraph g, byte[] input) {
        List<long[]> values = StatementCodec.decode(input);
        if (values.size() != g.inputs().size()) {
            throw new IllegalArgumentException("the model takes " + g.inputs().size() + " inputs, the request has " + values.size());
        }
        Map<String, float[]> floats = new HashMap<>();
        for (int i = 0; i < values.size(); i++) {
            var t = g.tensor(g.inputs().get(i));
            floats.put(t.name(), IntegerExecutor.dequantise(t, values.get(i)));
        }
        return IntegerExecutor.execute(g, floats);
    }
}
