package io.adsync.api.support;

import java.util.LinkedHashMap;

/** A JSON object under construction: start from a valid body, then break or change one thing. */
public final class Body extends LinkedHashMap<String, Object> {

    public Body with(String key, Object value) {
        put(key, value);
        return this;
    }

    public Body without(String key) {
        remove(key);
        return this;
    }

    public Body copy() {
        Body copy = new Body();
        forEach((k, v) -> copy.put(k, v instanceof Body b ? b.copy() : v));
        return copy;
    }
}
