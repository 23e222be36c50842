/**
 * The context function of a framework integration, for the fast path: built only for requests the fast path may
 * answer (the server builds it for the others, no more often than without the fast path), at most once, and then
 * handed to the server, so authentication done in it runs for answers from the cache too. A failing context is the
 * server's to answer (it builds it again), so it only tells the fast path to step aside.
 */

/** A lazily built context: `build` for the fast path, `forServer` for the server. */
export interface LazyContext<TContext> {
  /** Builds it (once): the context, or `false` when it threw or rejected. */
  build(): Promise<TContext | false>;
  /** The context function to give the server: the one built, or a fresh call when none was built or it failed. */
  forServer(): Promise<TContext>;
}

export function lazyContext<TContext extends object>(contextOf: () => TContext | Promise<TContext>): LazyContext<TContext> {
  let built: Promise<TContext | false> | undefined;
  return {
    build() {
      built ??= Promise.resolve()
        .then(contextOf)
        .catch(() => false as const);
      return built;
    },
    async forServer() {
      const value = built ? await built : false;
      return value === false ? contextOf() : value;
    },
  };
}
