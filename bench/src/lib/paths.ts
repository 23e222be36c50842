import { realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** bench/, resolved through symlinks. */
export const benchDir = realpathSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..'));
/** The repository root, where the library lives. */
export const repoDir = dirname(benchDir);
export const resultsDir = join(benchDir, 'results');
