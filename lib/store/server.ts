// The store for the Next.js server: opened once per process (migrating a new database on first
// use) and shared by every request.
import { openStore, type Store } from "./index";

const globalForStore = globalThis as unknown as { statelensStore?: Promise<Store> };

export function getStore(): Promise<Store> {
  globalForStore.statelensStore ??= openStore().catch((err) => {
    globalForStore.statelensStore = undefined;
    throw err;
  });
  return globalForStore.statelensStore;
}
