package dev.verinfer.market;

import java.util.LinkedHashMap;
import java.util.Map;

/** At most a given number of values by key, the least recently used dropped first; safe for concurrent use. */
public final class BoundedCache<K, V> {
    private final Map<K, V> entries;

    public BoundedCache(int capacity) {
        entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The value remembered for {@code key}, or null. */
    public synchronized V get(K key) {
        return entries.get(key);
    }

    public synchronized void put(K key, V value) {
        entries.put(key, value);
    }

    /** Remembers {@code value} for {@code key} unless a value is remembered already; returns that value, or null. */
    public synchronized V putIfAbsent(K key, V value) {
        return entries.putIfAbsent(key, value);
    }
}
