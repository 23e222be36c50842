/**
 * `cachetag/testing`: the store conformance suite, for authors of a `Store`. It runs with node:test (it registers
 * `describe`/`test` blocks), so call it from a test file: `runStoreConformance('my store', async () => createMyStore())`.
 */
export { runStoreConformance, type MakeStore } from './storeConformance.js';
