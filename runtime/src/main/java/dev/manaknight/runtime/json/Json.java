package dev.manaknight.runtime.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;

/**
 * The one Jackson factory of the runtime (immutable, thread-safe). Its buffer recycler pool is
 * shared across threads: every request runs on a new virtual thread, and Jackson's default
 * thread-local recycler would allocate fresh buffers (~16 KB) for each of them.
 */
public final class Json {
    private Json() {}

    public static final JsonFactory FACTORY = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
            .build();
}
