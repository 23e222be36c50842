/**
 * The federated example: `npm run example:federation`. Starts the products and reviews subgraphs (cachetag in each,
 * one shared memory store) and an Apollo Gateway in front of them on PORT (default 4000) and HOST (default 127.0.0.1).
 */
import { startFederatedGraph } from './graph.js';

const graph = await startFederatedGraph({ port: Number(process.env.PORT ?? 4000), host: process.env.HOST ?? '127.0.0.1' });
console.log('cachetag federation example listening:');
console.log(`  gateway   ${graph.url}`);
console.log(`  products  ${graph.subgraphs.products.url}`);
console.log(`  reviews   ${graph.subgraphs.reviews.url}`);
console.log(
  `Try: curl -s ${graph.url} -H 'content-type: application/json' -d '{"query":"{ topProducts { name price reviews { body } } latestReviews { body product { name } } }"}'`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void graph.stop().then(() => process.exit(0));
  });
}
