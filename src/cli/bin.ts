#!/usr/bin/env -S node --max-semi-space-size=64
/**
 * The `topo` executable. The larger young generation (64 MB semi-spaces) keeps
 * the many short-lived packet sets of a large design from being promoted and
 * collected again by full collections (benchmark tier L: load and
 * verification about a quarter faster).
 */
import { EXIT } from './io.js';
import { main } from './main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`topo: internal error: ${(error as Error).message}\n`);
    process.exitCode = EXIT.internal;
  },
);
