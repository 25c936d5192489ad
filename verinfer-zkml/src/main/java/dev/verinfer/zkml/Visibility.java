package dev.verinfer.zkml;

/** How an input or output appears in a proof's statement: its values, or only a commitment to them. */
public enum Visibility {
    PUBLIC, COMMITTED
}
