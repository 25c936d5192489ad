/**
 * The market node's HTTP/JSON API, version 1: the documents the node serves and its clients read
 * (described in {@code /openapi.yaml}). Byte strings are base64; amounts are the market's units;
 * times are ledger milliseconds.
 */
package dev.verinfer.api;
