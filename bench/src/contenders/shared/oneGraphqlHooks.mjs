// Module resolution hooks (run in Node's loader thread; plain JS so that no
// TypeScript loader is needed to load them). See oneGraphql.ts for why.
let benchRoot = '';
let anchorUrl = '';

export function initialize(data) {
  benchRoot = data.benchRoot;
  anchorUrl = data.anchorUrl;
}

export async function resolve(specifier, context, nextResolve) {
  if ((specifier === 'graphql' || specifier.startsWith('graphql/')) && !(context.parentURL ?? '').startsWith(benchRoot)) {
    return nextResolve(specifier, { ...context, parentURL: anchorUrl });
  }
  return nextResolve(specifier, context);
}
