/**
 * The quantised graph: the exact integer computation verinfer proves. The contract (ops, semantics,
 * bounds, calibration policy) is docs/quantised-ir.md; {@link dev.verinfer.model.quant.Quantiser}
 * produces a {@link dev.verinfer.model.quant.QuantGraph}, {@link dev.verinfer.model.quant.IntegerExecutor}
 * runs it and returns every tensor.
 */
package dev.verinfer.model.quant;
