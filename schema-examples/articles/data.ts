/** The articles' data layer: in memory, counting every call, returning plain copies. */

export interface ArticleRow {
  id: string;
  title: string;
  published: boolean;
  category: string;
  authorId: string;
}
export interface AuthorRow {
  id: string;
  name: string;
}

export interface ArticleFilter {
  published?: boolean | null;
  category?: string | null;
  authorId?: string | null;
}

export class ArticleData {
  readonly calls: Record<string, number> = {};
  readonly articles = new Map<string, ArticleRow>();
  readonly authors = new Map<string, AuthorRow>();
  #nextId = 100;
  readonly #booleansAsNumbers: boolean;

  /** `booleansAsNumbers`: return `published` as 1 or 0, as MySQL and SQLite drivers do (GraphQL serializes it as a Boolean). */
  constructor(seed = true, options: { booleansAsNumbers?: boolean } = {}) {
    this.#booleansAsNumbers = options.booleansAsNumbers ?? false;
    if (!seed) return;
    this.authors.set('1', { id: '1', name: 'Ada' });
    this.authors.set('2', { id: '2', name: 'Grace' });
    const rows: [string, boolean, string, string][] = [
      ['Matroska containers', true, 'video', '1'],
      ['Opus in Matroska', true, 'audio', '1'],
      ['Draft: AV1 notes', false, 'video', '2'],
      ['FLAC tagging', true, 'audio', '2'],
    ];
    rows.forEach(([title, published, category, authorId], i) => {
      const id = String(i + 1);
      this.articles.set(id, { id, title, published, category, authorId });
    });
  }

  get totalCalls(): number {
    return Object.values(this.calls).reduce((a, b) => a + b, 0);
  }
  resetCalls(): void {
    for (const key of Object.keys(this.calls)) delete this.calls[key];
  }
  #count(method: string): void {
    this.calls[method] = (this.calls[method] ?? 0) + 1;
  }

  /** The articles matching a filter, in id order; a null or absent filter value does not filter. */
  list(filter: ArticleFilter): ArticleRow[] {
    this.#count('list');
    return [...this.articles.values()]
      .filter(
        (a) =>
          (filter.published == null || a.published === filter.published) &&
          (filter.category == null || a.category === filter.category) &&
          (filter.authorId == null || a.authorId === filter.authorId),
      )
      .sort((a, b) => Number(a.id) - Number(b.id))
      .map((a) => this.#out(a));
  }
  article(id: string): ArticleRow | null {
    this.#count('article');
    const row = this.articles.get(id);
    return row ? this.#out(row) : null;
  }
  author(id: string): AuthorRow | null {
    this.#count('author');
    const row = this.authors.get(id);
    return row ? { ...row } : null;
  }
  create(input: Omit<ArticleRow, 'id'> & { id?: string | null }): ArticleRow {
    this.#count('create');
    const id = input.id ?? String(this.#nextId++);
    const row = { id, title: input.title, published: input.published, category: input.category, authorId: input.authorId };
    this.articles.set(id, row);
    return this.#out(row);
  }
  update(id: string, input: Partial<Pick<ArticleRow, 'title' | 'published' | 'category'>>): ArticleRow | null {
    this.#count('update');
    const row = this.articles.get(id);
    if (!row) return null;
    for (const [key, value] of Object.entries(input)) if (value !== undefined && value !== null) (row as unknown as Record<string, unknown>)[key] = value;
    return this.#out(row);
  }
  delete(id: string): ArticleRow | null {
    this.#count('delete');
    const row = this.articles.get(id);
    this.articles.delete(id);
    return row ? this.#out(row) : null;
  }
  /** A plain copy of a row, as the driver would return it. */
  #out(row: ArticleRow): ArticleRow {
    return this.#booleansAsNumbers ? ({ ...row, published: Number(row.published) } as unknown as ArticleRow) : { ...row };
  }
}
