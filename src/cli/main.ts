/**
 * The topo command line: commander wiring only. Each command parses its
 * flags, calls one run function, and returns an exit code:
 * 0 ok, 1 a claim fails, 2 bad input or usage, 3 internal error.
 */
import { Command, CommanderError, Option } from 'commander';
import { packageVersion } from '../util/package-root.js';
import { EXIT, processIo, UsageError, type CliIo } from './io.js';
import { runValidate } from './validate.js';
import { runTrace } from './trace.js';
import { runVerify } from './verify.js';
import { runLint } from './lint.js';
import { runImport } from './import.js';
import { runDiff } from './diff.js';
import { runWatch } from './watch.js';
import { runCatalogBuild } from './catalog.js';
import { runGenerate, type GenerateCliOptions } from './generate.js';
import { runDiagram, type DiagramCliOptions } from './diagram.js';
import { scenarioSchema } from '../scenario/schema-source.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parsePort(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new UsageError(`'${value}' is not a port number 0-65535`);
  return Number(value);
}

export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let exitCode: number = EXIT.ok;
  const guard = (fn: () => Promise<number>) => async () => {
    exitCode = await fn();
  };
  const program = new Command()
    .name('topo')
    .description('Proves or refutes what can reach what in an Azure network design before it is deployed.')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showSuggestionAfterError(true);

  program
    .command('validate')
    .description('check scenario files against the format and Azure rules (exit 0 valid, 2 invalid)')
    .argument('<files...>', 'scenario YAML files')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--service-tags <file>', 'official ServiceTags_Public JSON file (default: the shipped catalog)')
    .action((files: string[], opts: { format: string; serviceTags?: string }) => guard(() => runValidate(files, opts, io))());

  program
    .command('verify')
    .description('prove or refute every intent over all packets (exit 0 all pass, 1 a claim fails, 2 bad input, 3 internal error)')
    .argument('<files...>', 'scenario YAML files')
    .option('--intent <name>', 'check only this intent, without the lints (repeatable)', collect, [] as string[])
    .option('--format <format>', 'text, json, sarif or junit, optionally =FILE (repeatable)', collect, [] as string[])
    .option('-o, --output <file>', 'write the (first) format to this file')
    .option('--fail-on <level>', 'error (default): exit 1 when a claim fails or a lint finds an error; unknown: also when an intent is unknown; warning: also on any warning or warning finding')
    .option('--no-lint', 'check the intents only, without the posture lints of topo lint')
    .option('--service-tags <file>', 'official ServiceTags_Public JSON file (default: the shipped catalog)')
    .action((files: string[], opts: { intent: string[]; format: string[]; output?: string; failOn?: string; serviceTags?: string; lint: boolean }) =>
      guard(() => runVerify(files, { ...opts, intent: opts.intent.length ? opts.intent : undefined }, io))(),
    );

  program
    .command('lint')
    .description('posture lints: the network items of secure-design checklists and Azure facts that surprise people (exit 0 clean, 1 findings at --fail-on, 2 bad input)')
    .argument('[files...]', 'scenario YAML files')
    .option('--format <format>', 'text, json, sarif or junit, optionally =FILE (repeatable)', collect, [] as string[])
    .option('-o, --output <file>', 'write the (first) format to this file')
    .option('--fail-on <severity>', 'error (default), warning, note or never: the lowest severity that makes the run fail')
    .option('--rule <lint>', 'run only this lint, by id or name (repeatable)', collect, [] as string[])
    .option('--list', 'list every lint with its id, severity and name')
    .option('--explain <lint>', 'print what a lint checks, why, and how to fix its findings')
    .option('--service-tags <file>', 'official ServiceTags_Public JSON file (default: the shipped catalog)')
    .action((files: string[], opts: { format: string[]; output?: string; failOn?: string; rule: string[]; list?: boolean; explain?: string; serviceTags?: string }) =>
      guard(() => runLint(files, opts, io))(),
    );

  program
    .command('diff')
    .description('what-if: flows a change opens or closes, intents that change status (exit 0 no change, 1 changes, 2 bad input)')
    .argument('<files...>', 'BASE HEAD, or one FILE compared with its version in git')
    .option('--base <rev>', 'git revision to compare FILE with (default HEAD)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .option('--fail-on <what>', 'change (default): exit 1 on any change; intent-regression: only when an intent gets worse')
    .option('--service-tags <file>', 'official ServiceTags_Public JSON file (default: the shipped catalog)')
    .action((files: string[], opts: { base?: string; format: string; failOn?: string; serviceTags?: string }) => guard(() => runDiff(files, opts, io))());

  program
    .command('watch')
    .description('verify, then re-verify on every save and print only what changed')
    .argument('<file>', 'scenario YAML file')
    .option('--service-tags <file>', 'official ServiceTags_Public JSON file (default: the shipped catalog)')
    .action((file: string, opts: { serviceTags?: string }) => guard(() => runWatch(file, opts, io))());

  program
    .command('trace')
    .description('follow one packet hop by hop and name every rule that decides it (exit 0 delivered, 1 dropped or unknown, 2 bad input)')
    .argument('<file>', 'scenario YAML file')
    .requiredOption('--from <endpoint>', 'source: host, vnet/subnet, vnet, external, tag:X, CIDR or internet')
    .requiredOption('--to <endpoint>', 'destination: host, vnet/subnet, private endpoint, resource[/groupId], external, tag:X, IP/CIDR or internet')
    .option('--protocol <protocol>', 'Tcp, Udp, Icmp, Esp or Ah', 'Tcp')
    .option('--port <port>', 'destination port (default 443)', parsePort)
    .option('--src-port <port>', 'source port (default 49152)', parsePort)
    .option('--src-ip <ip>', 'source address (default: the first usable address of --from)')
    .option('--name <fqdn>', 'the host name the packet is addressed to (default: one fitting --to)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--service-tags <file>', 'official ServiceTags_Public JSON file (default: the shipped catalog)')
    .action((file: string, opts: Parameters<typeof runTrace>[1]) => guard(() => runTrace(file, opts, io))());

  program
    .command('diagram')
    .description('draw the design with its proven paths: interactive single-file HTML or static SVG (exit 0 written, 2 bad input, 3 internal error)')
    .argument('<file>', 'scenario YAML file')
    .requiredOption('-o, --output <file>', 'out.html (interactive page) or out.svg (static picture)')
    .option('--intent <name>', 'draw only this intent (repeatable)', collect, [] as string[])
    .addOption(new Option('--theme <theme>', 'colour theme').choices(['light', 'dark']).default('light'))
    .option('--service-tags <file>', 'official ServiceTags_Public JSON file (default: the shipped catalog)')
    .option('--no-collapse', 'draw every VNet, even beyond the threshold where identical spokes are grouped')
    .action((file: string, opts: DiagramCliOptions) => guard(() => runDiagram(file, opts, io))());

  program
    .command('import')
    .description('write a scenario from deployed Azure resources (Resource Graph, ARM REST, az CLI JSON) or ARM templates (exit 0 written, 2 bad input)')
    .argument('<inputs...>', 'JSON files or directories of them')
    .option('-o, --output <file>', 'the scenario file to write (default: standard output)')
    .option('--name <name>', 'scenario name (default: the output file name)')
    .option('--region <region>', 'Azure region of the design (default: the VNets\' location)')
    .option('--parameters <file>', 'ARM parameters file for the templates (repeatable)', collect, [] as string[])
    .action((inputs: string[], opts: { output?: string; name?: string; region?: string; parameters: string[] }) => guard(() => runImport(inputs, opts, io))());

  program
    .command('generate')
    .description('write a synthetic design with planted misconfigurations, for benchmarks and tests (exit 0 written, 2 bad usage)')
    .argument('<kind>', 'hub-spoke: a hub with Azure Firewall and peered spokes (benchmark family AZ-HS)')
    .requiredOption('--spokes <n>', 'spoke VNets (1-500)')
    .requiredOption('--subnets <n>', 'subnets per spoke (1-32; the last holds a private endpoint)')
    .requiredOption('--rules <n>', 'custom rules per NSG')
    .requiredOption('--firewall-rules <n>', 'firewall policy rules')
    .option('--seed <n>', 'random seed: the same seed gives the same file', '1')
    .option('--flows <n>', 'required-flow intents (default 1000)')
    .option('--shared-nsg', 'one NSG per spoke, shared by its subnets (default: one per subnet)')
    .option('--nic-nsg-fraction <f>', 'fraction of subnets with a VM whose NIC has its own NSG (default 0)')
    .option('--nic-rules <n>', 'custom rules per NIC-level NSG (default 50)')
    .option('--clean', 'the clean twin: no planted misconfigurations')
    .option('-o, --output <file>', 'scenario file to write (default: standard output)')
    .option('--service-tags-file <file>', 'also write a small official-format service tags file and name it in the scenario')
    .option('--truth <file>', 'write the planted misconfigurations and expected failures as JSON')
    .action((kind: string, opts: GenerateCliOptions) => guard(() => runGenerate(kind, opts, io))());

  program
    .command('schema')
    .description('print the scenario JSON Schema (draft-07), the one editors use through the yaml-language-server modeline')
    .action(() => {
      io.stdout.write(`${JSON.stringify(scenarioSchema, null, 2)}\n`);
    });

  const catalog = program.command('catalog').description('maintain the shipped service tag catalog');
  catalog
    .command('build')
    .description('build models/service-tags.json from an official ServiceTags_Public JSON file')
    .argument('<file>', 'ServiceTags_Public_YYYYMMDD.json')
    .option('-o, --output <file>', 'where to write the compact catalog', 'models/service-tags.json')
    .action((file: string, opts: { output: string }) => guard(() => runCatalogBuild(file, opts, io))());

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
      return EXIT.badInput;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`topo: ${error.message}\n`);
      return EXIT.badInput;
    }
    io.stderr.write(`topo: internal error: ${(error as Error).message}\n`);
    io.stderr.write(io.env.TOPO_DEBUG ? `${(error as Error).stack}\n` : 'This is a bug in topo. Run again with TOPO_DEBUG=1 for the stack trace and report it.\n');
    return EXIT.internal;
  }
}
