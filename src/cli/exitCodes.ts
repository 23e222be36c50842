/** The CLI's exit codes, stable for scripts (documented in the README's CLI section). */
export const exitCodes = {
  /** The command did what was asked (validate: no problem found). */
  ok: 0,
  /** The command failed: schema problems, Redis unreachable, an invalidation not acknowledged, nothing found. */
  failed: 1,
  /** The command line is wrong: unknown command or option, missing argument. */
  usage: 2,
  /** A broad invalidation was not confirmed (answer "no", or no terminal to ask and no --yes). */
  notConfirmed: 3,
} as const;

/** A mistake on the command line: exits with {@link exitCodes.usage}. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The exit code of an error a command threw: usage for command-line mistakes (parseArgs' included), failed otherwise. */
export function exitCodeOf(error: unknown): number {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) ? exitCodes.usage : exitCodes.failed;
}
