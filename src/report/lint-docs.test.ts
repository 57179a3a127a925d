import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lintCatalog } from '../catalog/lints.js';
import { packageFile } from '../util/package-root.js';
import { lintCatalogMarkdown } from './lint-docs.js';

describe('docs/lints.md', () => {
  it('is the lint catalog as generated (UPDATE_GOLDEN=1 rewrites it)', () => {
    const path = packageFile('docs', 'lints.md');
    const text = lintCatalogMarkdown(lintCatalog());
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, text);
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('links every lint from the table to its section', () => {
    const text = lintCatalogMarkdown(lintCatalog());
    for (const l of lintCatalog()) expect(text).toContain(`](#${l.id.toLowerCase()}-${l.name})`);
  });
});
