/** `topo catalog build FILE`: regenerate the shipped compact service tag catalog. */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildCompactCatalog } from '../catalog/build-compact.js';
import { CatalogFileError } from '../catalog/service-tags.js';
import { EXIT, type CliIo } from './io.js';

export async function runCatalogBuild(file: string, opts: { output: string }, io: CliIo): Promise<number> {
  let text: string;
  try {
    text = readFileSync(resolve(io.cwd, file), 'utf8');
  } catch (error) {
    io.stderr.write(`topo: ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})\n`);
    return EXIT.badInput;
  }
  try {
    const compact = buildCompactCatalog(text, file);
    const json = `{\n  "format": ${JSON.stringify(compact.format)},\n  "source": ${JSON.stringify(compact.source)},\n  "note": ${JSON.stringify(compact.note)},\n  "footprint": ${JSON.stringify(compact.footprint)},\n  "atoms": ${JSON.stringify(compact.atoms)},\n  "atomBlocks": ${JSON.stringify(compact.atomBlocks)},\n  "tags": [\n${compact.tags.map((t) => `    ${JSON.stringify(t)}`).join(',\n')}\n  ]\n}\n`;
    writeFileSync(resolve(io.cwd, opts.output), json);
    io.stdout.write(`wrote ${opts.output}: ${compact.tags.length} tags, ${compact.atoms.length} atoms, footprint of ${compact.footprint.length} prefixes (${(json.length / 1024).toFixed(0)} KiB), change ${compact.source.changeNumber}\n`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CatalogFileError) {
      io.stderr.write(`topo: ${error.message}\n`);
      return EXIT.badInput;
    }
    throw error;
  }
}
