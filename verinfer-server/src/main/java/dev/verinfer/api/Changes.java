package dev.verinfer.api;

import java.util.List;

/**
 * {@code GET /v1/requests/changes}: the requests (matching the call's filters) that blocks after the
 * caller's height changed, as they are at or after {@code head}; ask again from {@code head.height}.
 * With {@code reset} the node could not tell what changed since that height (it no longer remembers it,
 * or restarted since): {@code requests} is then every live matching request, to replace what the caller held.
 */
public record Changes(Head head, boolean reset, List<RequestView> requests) {
}
