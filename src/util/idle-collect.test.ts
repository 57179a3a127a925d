import { PerformanceObserver, constants, performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { collectYoungGeneration } from './idle-collect.js';

describe('collectYoungGeneration', () => {
  it('runs a young-generation collection each time it is asked, while it is asked', async () => {
    const minor: number[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if ((e as unknown as { detail: { kind: number } }).detail.kind === constants.NODE_PERFORMANCE_GC_MINOR) minor.push(e.startTime);
    });
    observer.observe({ entryTypes: ['gc'] });
    let window: [number, number];
    try {
      collectYoungGeneration();
      const from = performance.now();
      expect(collectYoungGeneration()).toBe(true);
      expect(collectYoungGeneration()).toBe(true);
      window = [from, performance.now()];
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      observer.disconnect();
    }
    expect(minor.filter((t) => t >= window[0] && t <= window[1]).length).toBe(2);
  });
});
