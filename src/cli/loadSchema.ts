/**
 * Builds the schema the CLI checks from SDL files, merging definitions
 * repeated across files (`type Query` in two files) the way graphql-tools,
 * and so Apollo Server, merges `typeDefs`: a field in any file is seen.
 */
import { readFile } from 'node:fs/promises';
import { parse, Source, concatAST, type GraphQLSchema } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { cacheDirectivesTypeDefsFor } from '../directives/sdl.js';
import { UsageError } from './exitCodes.js';

/** Reads, merges and builds `files`; adds the cache directive declarations the files lack. */
export async function loadSchema(files: readonly string[]): Promise<GraphQLSchema> {
  if (files.length === 0) throw new UsageError('name at least one SDL file.');
  // One Source per file, so every problem's line and column point into the file it came from.
  const documents = await Promise.all(files.map(async (file) => parse(new Source(await readFile(file, 'utf8'), file))));
  const missing = cacheDirectivesTypeDefsFor(concatAST(documents));
  return makeExecutableSchema({ typeDefs: missing ? [parse(missing), ...documents] : documents, assumeValidSDL: true });
}
