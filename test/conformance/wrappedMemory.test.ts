/** The store wrappers change nothing a store promises: the memory store behind withBreaker(withDeadline(...)) passes the conformance suite. */
import { createMemoryStore, withBreaker, withDeadline } from '../../src/index.js';
import { runStoreConformance } from '../../src/testing/index.js';

// Generous deadlines: the suite checks the contract, not timing, on a loaded machine.
runStoreConformance('memory store behind withBreaker(withDeadline())', async () =>
  withBreaker(withDeadline(createMemoryStore(), { readTimeoutMs: 30_000, writeTimeoutMs: 30_000 })),
);
