/** `topo trace FILE --from A --to B`: follow one packet; exit 0 delivered, 1 dropped or unknown, 2 bad input. */
import { compile } from '../model/compile.js';
import { loadScenario } from '../scenario/load.js';
import { paletteFor } from '../report/color.js';
import { formatDiagnostic } from '../report/diagnostics-text.js';
import { formatTraceText } from '../report/trace-text.js';
import { traceJson } from '../report/trace-json.js';
import { simulate } from '../sim/simulate.js';
import { buildTraceRequest, TraceRequestError, type TraceOptions } from '../sim/request.js';
import { EXIT, sourceReader, UsageError, type CliIo } from './io.js';

export interface TraceCliOptions extends TraceOptions {
  readonly format: string;
  readonly serviceTags?: string;
}

export async function runTrace(file: string, opts: TraceCliOptions, io: CliIo): Promise<number> {
  if (opts.format !== 'text' && opts.format !== 'json') throw new UsageError(`--format must be text or json, not '${opts.format}'`);
  const loaded = loadScenario(file, { cwd: io.cwd, serviceTagsFile: opts.serviceTags });
  const source = sourceReader(io.cwd);
  const c = paletteFor(io.stderr, io.env);
  if (!loaded.scenario) {
    for (const d of loaded.diagnostics) io.stderr.write(`${formatDiagnostic(d, source, c)}\n`);
    return EXIT.badInput;
  }
  const { network } = compile(loaded.scenario, loaded.catalog!);
  let request;
  try {
    request = buildTraceRequest(network, opts);
  } catch (error) {
    if (error instanceof TraceRequestError) throw new UsageError(error.message);
    throw error;
  }
  const trace = simulate(network, request.origin, request.packet);
  // A packet that arrives somewhere other than the destination asked for did not reach it.
  const reached = trace.verdict === 'delivered' && trace.delivery && request.dest.accepts(trace.delivery, trace.packet.dstIp, trace.packet.dstName, 'default');
  const final = trace.verdict === 'delivered' && !reached ? { ...trace, verdict: 'dropped' as const, reason: `${trace.reason}, which is not ${request.dest.label}` } : trace;
  if (opts.format === 'json') io.stdout.write(`${JSON.stringify(traceJson(network, final, { from: request.fromLabel, to: request.dest.label }), null, 2)}\n`);
  else io.stdout.write(`${formatTraceText(network, final, { from: request.fromLabel, to: request.dest.label }, paletteFor(io.stdout, io.env))}\n`);
  return final.verdict === 'delivered' ? EXIT.ok : EXIT.claimFails;
}
