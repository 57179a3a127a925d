/**
 * A generated hub-and-spoke design (benchmark family AZ-HS), loaded and
 * compiled as `topo` loads a file: for tests that need a design of some size.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateHubSpoke, type GeneratedScenario, type HubSpokeOptions } from '../../src/generate/hub-spoke.js';
import { compile } from '../../src/model/compile.js';
import type { Network } from '../../src/model/types.js';
import type { ServiceTagCatalog } from '../../src/catalog/service-tags.js';
import type { Scenario } from '../../src/scenario/types.js';
import { loadScenario } from '../../src/scenario/load.js';
import { buildGraph, type ReachGraph } from '../../src/verify/graph.js';

export function generatedNetwork(options: HubSpokeOptions): { gen: GeneratedScenario; net: Network; graph: ReachGraph; scenario: Scenario; catalog: ServiceTagCatalog } {
  const gen = generateHubSpoke(options);
  const dir = mkdtempSync(join(tmpdir(), 'topo-generated-'));
  try {
    const file = join(dir, 'design.yaml');
    writeFileSync(file, gen.text);
    const l = loadScenario(file);
    if (!l.scenario || !l.catalog) throw new Error(`generated design does not load: ${l.diagnostics.map((d) => d.message).join('; ')}`);
    const net = compile(l.scenario, l.catalog).network;
    return { gen, net, graph: buildGraph(net), scenario: l.scenario, catalog: l.catalog };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
