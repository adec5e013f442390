package dev.meridian.common.page;

import java.util.Locale;

/** Sort order of a list by {@code created_at}. */
public enum Order {
    ASC,
    DESC;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
