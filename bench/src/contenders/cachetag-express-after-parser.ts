/** cachetag through the express drop-in placed after express.json(), on the /graphql route: the other configuration, measured beside cachetag-express. */
import { assertOneGraphql, useOneGraphql } from './shared/oneGraphql.js';
import { createContenderRuntime } from './shared/serve.js';

useOneGraphql();
await assertOneGraphql();
const { serveDropin } = await import('./shared/cachetagDropins.js');
await serveDropin(createContenderRuntime('cachetag-express-after-parser'), 'express-after-parser');
