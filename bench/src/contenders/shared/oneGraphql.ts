/**
 * One graphql-js instance for bench and library alike.
 *
 * `cachetag` is installed as a link to the repository root (`file:..`), so
 * the built library resolves `graphql` from the root's node_modules while
 * Apollo, installed here, resolves bench/node_modules/graphql. Two copies of
 * graphql-js in one process break every `instanceof` check ("Cannot use
 * GraphQLObjectType from another module or realm"). These hooks send every
 * `graphql` import made from outside bench/ to bench's copy, for ESM imports
 * (a resolve hook) and CommonJS requires (Module._resolveFilename) alike.
 *
 * Register before the library is loaded: the contender entry points call
 * {@link useOneGraphql} and then import the library dynamically.
 */
import { realpathSync } from 'node:fs';
import Module, { createRequire, register } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const benchDir = realpathSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..'));
const anchor = join(benchDir, 'package.json');

let installed = false;

export function useOneGraphql(): void {
  if (installed) return;
  installed = true;
  register('./oneGraphqlHooks.mjs', {
    parentURL: import.meta.url,
    data: { benchRoot: pathToFileURL(benchDir + sep).href, anchorUrl: pathToFileURL(anchor).href },
  });
  const requireFromBench = createRequire(anchor);
  const moduleInternals = Module as unknown as { _resolveFilename: (request: string, parent: { filename?: string } | undefined, ...rest: unknown[]) => string };
  const original = moduleInternals._resolveFilename;
  moduleInternals._resolveFilename = function (request, parent, ...rest) {
    if ((request === 'graphql' || request.startsWith('graphql/')) && !(parent?.filename ?? '').startsWith(benchDir + sep)) {
      return requireFromBench.resolve(request);
    }
    return original.call(this, request, parent, ...rest);
  };
}

/**
 * Throws unless the hooks are active: a module from outside bench/ (here a
 * data: URL) must get bench's graphql-js.
 */
export async function assertOneGraphql(): Promise<void> {
  const ours = await import('graphql');
  const probeUrl = 'data:text/javascript,export { GraphQLObjectType } from "graphql";';
  const probe = (await import(probeUrl)) as { GraphQLObjectType: unknown };
  if (probe.GraphQLObjectType !== ours.GraphQLObjectType) {
    throw new Error('Two graphql-js instances are loaded: the oneGraphql hooks are not active.');
  }
}
