package dev.verinfer.zkml;

import dev.verinfer.pcs.MultilinearPcs;
import dev.verinfer.pcs.TensorPcs;

/** The polynomial commitment scheme every verinfer proof uses (one place to change it). */
final class Pcs {
    static final MultilinearPcs INSTANCE = new TensorPcs();

    private Pcs() {}
}
