import type { Request } from 'express';
import { Page } from '../common/pagination';

/** Previous/next links that keep the current filters. */
export function pager(req: Request, page: Page<unknown>) {
  const pages = Math.max(1, Math.ceil(page.total / page.limit));
  const link = (n: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(req.query)) {
      if (typeof v === 'string' && k !== 'page' && v !== '') {
        params.set(k, v);
      }
    }
    params.set('page', String(n));
    return `${req.path}?${params.toString()}`;
  };
  return {
    page: page.page,
    pages,
    total: page.total,
    prev: page.page > 1 ? link(page.page - 1) : null,
    next: page.page < pages ? link(page.page + 1) : null,
  };
}
