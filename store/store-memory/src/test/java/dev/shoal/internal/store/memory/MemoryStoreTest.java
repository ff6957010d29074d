package dev.shoal.internal.store.memory;

import dev.shoal.internal.store.StateStore;
import dev.shoal.internal.store.StateStoreContract;

/** The in-memory store passes the same contract as every other store. */
class MemoryStoreTest extends StateStoreContract {
  @Override
  protected StateStore newStore() {
    return new MemoryStore();
  }
}
