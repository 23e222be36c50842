/** The articles' resolvers: plain data-layer calls. */
import type { ArticleData, ArticleRow } from './data.js';

export interface ArticleContext {
  db: ArticleData;
}
type Args = Record<string, unknown>;

export const resolvers = {
  Query: {
    articles: (_: unknown, args: Args, { db }: ArticleContext) =>
      db.list({ published: args.published as boolean | null, category: args.category as string | null }),
    articlesConnection: (_: unknown, args: Args, { db }: ArticleContext) => {
      const all = db.list({ category: args.category as string | null });
      const start = args.after ? all.findIndex((a) => a.id === args.after) + 1 : 0;
      const page = all.slice(start, start + Number(args.first ?? 10));
      return {
        edges: page.map((node: ArticleRow) => ({ cursor: node.id, node })),
        pageInfo: { hasNextPage: start + page.length < all.length, endCursor: page.at(-1)?.id ?? null },
      };
    },
    article: (_: unknown, args: Args, { db }: ArticleContext) => db.article(String(args.id)),
    author: (_: unknown, args: Args, { db }: ArticleContext) => db.author(String(args.id)),
  },
  Mutation: {
    createArticle: (_: unknown, args: Args, { db }: ArticleContext) => db.create(args.input as never),
    updateArticle: (_: unknown, args: Args, { db }: ArticleContext) => db.update(String(args.id), args.input as never),
    deleteArticle: (_: unknown, args: Args, { db }: ArticleContext) => db.delete(String(args.id)),
  },
  Article: {
    author: (article: ArticleRow, _: Args, { db }: ArticleContext) => db.author(article.authorId),
  },
  Author: {
    articles: (author: { id: string }, args: Args, { db }: ArticleContext) => db.list({ authorId: author.id, published: args.published as boolean | null }),
  },
};
