/**
 * The example server: `npm run example`. PORT (default 4000) and HOST
 * (default 127.0.0.1); REDIS_URL or REDIS_CLUSTER to run on Redis (see store.ts);
 * EXAMPLE_IDLE_ROUTE=1 serves GET /idle (answered once queued cache writes landed: for tests);
 * DATABASE_URL to keep the data on PostgreSQL, with the invalidation outbox (see database.ts);
 * CACHETAG_ADMIN_TOKEN to require that bearer token on the admin endpoints at /cachetag (default: loopback only).
 */
import { createShop } from './app.js';
import { databaseFromEnv } from './database.js';
import { storeFromEnv } from './store.js';

const port = Number(process.env.PORT ?? 4000);
const choice = await storeFromEnv();
const database = await databaseFromEnv();
const shop = await createShop({
  db: database.db,
  cache: { store: choice.store },
  idleRoute: process.env.EXAMPLE_IDLE_ROUTE === '1',
  // Loopback clients only, unless a token is set (then every client must present it).
  ...(process.env.CACHETAG_ADMIN_TOKEN ? { admin: { token: process.env.CACHETAG_ADMIN_TOKEN } } : {}),
});
await database.attach(shop.cache);
const { port: bound } = await shop.listen(port, process.env.HOST ?? '127.0.0.1');
console.log(`cachetag shop example (${choice.describe}, data ${database.describe}) listening:`);
console.log(`  GraphQL  http://127.0.0.1:${bound}/graphql`);
console.log(`  metrics  http://127.0.0.1:${bound}/metrics`);
console.log(`  admin    http://127.0.0.1:${bound}/cachetag   (npx cachetag stats --url http://127.0.0.1:${bound}/cachetag)`);
console.log(
  `Try: curl -s http://127.0.0.1:${bound}/graphql -H 'content-type: application/json' -H 'x-cachetag-debug: 1' -d '{"query":"{ product(id: 42) { name price reviews { rating } } }"}'`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void shop
      .stop()
      .then(() => database.close())
      .then(() => choice.close())
      .then(() => process.exit(0));
  });
}
