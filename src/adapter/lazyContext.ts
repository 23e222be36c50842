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

/**
 * The contexts a framework's fast path built for its requests, handed to the server's context function: a request
 * the fast path passed on gets the very context built for it (the user's function runs once per request, and the
 * operation lookup reuses the fast path's miss); any other request gets a fresh call. Keyed weakly by the
 * framework's request object, so an abandoned request keeps nothing alive.
 */
export interface ContextHandoff<Key extends object, TContext> {
  /** A lazy context for this request, kept for the server until `take`; `drop` it once the fast path answered. */
  lazy(key: Key, contextOf: () => TContext | Promise<TContext>): LazyContext<TContext>;
  /**
   * A context already built for this request (an empty one, when the user gave no context function), kept for the
   * server until `take` as a lazy one is; answers it.
   */
  given(key: Key, context: TContext): TContext;
  drop(key: Key): void;
  /** For the server: the context built for this request, or `fresh()` when none was. */
  take(key: Key, fresh: () => Promise<TContext>): Promise<TContext>;
}

export function contextHandoff<Key extends object, TContext extends object>(): ContextHandoff<Key, TContext> {
  const built = new WeakMap<Key, LazyContext<TContext>>();
  return {
    lazy(key, contextOf) {
      const lazy = lazyContext(contextOf);
      built.set(key, lazy);
      return lazy;
    },
    given(key, context) {
      built.set(
        key,
        lazyContext(() => context),
      );
      return context;
    },
    drop(key) {
      built.delete(key);
    },
    take(key, fresh) {
      const lazy = built.get(key);
      if (!lazy) return fresh();
      built.delete(key);
      return lazy.forServer();
    },
  };
}
