/** hot-read: product pages (product, store, organization, latest reviews) for a small hot set of products. */
import { graphqlBody, productPageQuery } from '../operations.js';
import { runAutocannon } from './autocannonLoad.js';
import { createPicker, hotSetSize } from './picker.js';
import type { Workload } from './types.js';

export const hotRead: Workload = {
  id: 'hot-read',
  description: `Product pages (nested store, organization and 5 latest reviews) drawn uniformly from ${hotSetSize} hot products; reads only.`,
  run(options) {
    const picker = createPicker(options.shape, options.seed);
    return runAutocannon(options, () => graphqlBody(productPageQuery, { id: String(picker.hotProduct()) }));
  },
};
