package dev.verinfer.pcs;

import dev.verinfer.field.Ext2;

/** The verifier's side: the polynomial committed as ({@code root}, {@code numVars}) has {@code claimedValue} at {@code point}. */
public record PcsClaim(byte[] root, int numVars, Ext2[] point, Ext2 claimedValue) {}
