/** catalog: store catalogue pages (a store's products in one category, each with its top reviews), Zipf-distributed. */
import { categories } from '../dataSource.js';
import { catalogPageQuery, graphqlBody } from '../operations.js';
import { runAutocannon } from './autocannonLoad.js';
import { createPicker, zipfExponent } from './picker.js';
import type { Workload } from './types.js';

export const catalog: Workload = {
  id: 'catalog',
  description: `Catalogue pages (products of one store and category, 3 top reviews each) over every store × ${categories.length} categories, Zipf s=${zipfExponent}; reads only.`,
  run(options) {
    const picker = createPicker(options.shape, options.seed);
    return runAutocannon(options, () => graphqlBody(catalogPageQuery, picker.popularCatalogPage()));
  },
};
