#!/usr/bin/env -S node --max-semi-space-size=32
/**
 * The `topo` executable. A larger young generation (32 MB semi-spaces) lets
 * the many short-lived packet sets of a large design be collected young
 * instead of being promoted and collected again by full collections
 * (benchmark tier L: verification about a fifth faster); twice that was
 * faster still, but costs small runs up to 75 MB more memory.
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
