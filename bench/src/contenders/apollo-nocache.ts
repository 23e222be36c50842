/** Apollo Server with no cache at all: the baseline every ratio divides by. */
import { peerDirectiveTypeDefs, typeDefs } from '../schema.js';
import { serveApollo } from './shared/apollo.js';
import { createContenderRuntime } from './shared/serve.js';

const runtime = createContenderRuntime('apollo-nocache');
await serveApollo(runtime, { typeDefs: [peerDirectiveTypeDefs, typeDefs] });
