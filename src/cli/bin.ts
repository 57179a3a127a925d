#!/usr/bin/env node
/** The `topo` executable. */
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
