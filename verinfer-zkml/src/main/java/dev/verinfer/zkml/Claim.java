package dev.verinfer.zkml;

import dev.verinfer.field.Ext2;

/** A claim that a multilinear polynomial takes {@code value} at {@code point}. */
public record Claim(Ext2[] point, Ext2 value) {
    public Claim {
        point = point.clone();
    }
}
