package dev.verinfer.sumcheck;

import dev.verinfer.poly.Mle;

/** A multilinear polynomial's evaluation table, over the base field or the extension. */
public sealed interface MleTable permits BaseTable, ExtTable {
    int length();

    default int numVars() {
        return Mle.numVars(length());
    }
}
