package dev.verinfer.api;

/** The body of every 4xx and 5xx answer: one line saying what was wrong. */
public record ApiError(String error) {
}
