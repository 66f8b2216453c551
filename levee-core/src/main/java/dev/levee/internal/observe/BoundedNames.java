package dev.levee.internal.observe;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Names from outside (a model an upstream reports, a route alias a caller sends) used as keys of
 * state kept for the life of the process — metric series, baselines. The known names always pass;
 * past a fixed number of others every new one becomes {@code overflow}, so a client or an upstream
 * inventing names cannot grow memory without bound.
 */
public final class BoundedNames {
    private final Set<String> known;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final int maxOthers;
    private final String overflow;

    public BoundedNames(Collection<String> known, int maxOthers, String overflow) {
        this.known = Set.copyOf(known);
        this.maxOthers = maxOthers;
        this.overflow = overflow;
    }

    public String of(String name) {
        if (name == null) {
            return overflow;
        }
        if (known.contains(name) || seen.contains(name)) {
            return name;
        }
        if (seen.size() < maxOthers && seen.add(name)) {
            return name;
        }
        return seen.contains(name) ? name : overflow;
    }
}
