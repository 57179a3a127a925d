/**
 * `topo generate hub-spoke`: writes a synthetic hub-and-spoke landing zone
 * (benchmark family AZ-HS) as a scenario file, with planted
 * misconfigurations whose ground truth can be written beside it.
 */
import { writeFileSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import { generateHubSpoke, syntheticServiceTags, type HubSpokeOptions } from '../generate/hub-spoke.js';
import { EXIT, UsageError, type CliIo } from './io.js';

export interface GenerateCliOptions {
  readonly spokes: string;
  readonly subnets: string;
  readonly rules: string;
  readonly firewallRules: string;
  readonly seed: string;
  readonly flows?: string;
  readonly sharedNsg?: boolean;
  readonly nicNsgFraction?: string;
  readonly nicRules?: string;
  readonly clean?: boolean;
  readonly output?: string;
  readonly serviceTagsFile?: string;
  readonly truth?: string;
}

function int(flag: string, value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`${flag} must be a whole number, not '${value}'`);
  return Number(value);
}

export function generateOptions(opts: GenerateCliOptions, serviceTags?: string): HubSpokeOptions {
  const fraction = opts.nicNsgFraction === undefined ? undefined : Number(opts.nicNsgFraction);
  if (fraction !== undefined && !(fraction >= 0 && fraction <= 1)) throw new UsageError(`--nic-nsg-fraction must be a number from 0 to 1, not '${opts.nicNsgFraction}'`);
  return {
    spokes: int('--spokes', opts.spokes),
    subnets: int('--subnets', opts.subnets),
    rules: int('--rules', opts.rules),
    firewallRules: int('--firewall-rules', opts.firewallRules),
    seed: int('--seed', opts.seed),
    ...(opts.flows !== undefined ? { flows: int('--flows', opts.flows) } : {}),
    ...(opts.sharedNsg ? { sharedNsg: true } : {}),
    ...(fraction !== undefined ? { nicNsgFraction: fraction } : {}),
    ...(opts.nicRules !== undefined ? { nicRules: int('--nic-rules', opts.nicRules) } : {}),
    ...(opts.clean ? { clean: true } : {}),
    ...(serviceTags ? { serviceTags } : {}),
  };
}

export async function runGenerate(kind: string, opts: GenerateCliOptions, io: CliIo): Promise<number> {
  if (kind !== 'hub-spoke') throw new UsageError(`topo generate knows hub-spoke, not '${kind}'`);
  if (opts.serviceTagsFile && !opts.output) throw new UsageError('--service-tags-file needs --output: the scenario names the tags file relative to itself');
  const out = opts.output ? resolve(io.cwd, opts.output) : undefined;
  const tagsPath = opts.serviceTagsFile ? resolve(io.cwd, opts.serviceTagsFile) : undefined;
  const tagsRef = tagsPath && out ? relative(dirname(out), tagsPath) || basename(tagsPath) : undefined;
  let generated;
  try {
    generated = generateHubSpoke(generateOptions(opts, tagsRef));
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(error.message.replace(/^(\w+)/, (m) => `--${m.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`));
    throw error;
  }
  try {
    if (tagsPath) writeFileSync(tagsPath, syntheticServiceTags());
    if (out) writeFileSync(out, generated.text);
    else io.stdout.write(generated.text);
    if (opts.truth) {
      const truth = { planted: generated.planted, expectedFailures: generated.expectedFailures, stats: generated.stats };
      writeFileSync(resolve(io.cwd, opts.truth), `${JSON.stringify(truth, null, 2)}\n`);
    }
  } catch (error) {
    io.stderr.write(`topo: cannot write: ${(error as Error).message}\n`);
    return EXIT.badInput;
  }
  if (out) {
    const s = generated.stats;
    io.stderr.write(`wrote ${opts.output}: ${s.vnets} VNets, ${s.subnets} subnets, ${s.nsgs} NSGs with ${s.nsgRules} rules, ${s.firewallRules} firewall rules, ${s.intents} intents, ${generated.planted.length} planted misconfigurations\n`);
  }
  return EXIT.ok;
}
