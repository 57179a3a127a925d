/** Microsoft-managed resources admitted by service endpoint policy aliases (models/trusted-fqdns.json "managed"). */
import { readFileSync } from 'node:fs';
import { packageFile } from '../util/package-root.js';

export interface ManagedService {
  readonly id: string;
  readonly label: string;
  readonly alias: string;
  readonly tag: string;
  readonly suffixes: readonly string[];
  readonly source: string;
}

let services: readonly ManagedService[] | undefined;

export function managedServices(): readonly ManagedService[] {
  services ??= (JSON.parse(readFileSync(packageFile('models', 'trusted-fqdns.json'), 'utf8')) as { managed: { services: ManagedService[] } }).managed.services;
  return services;
}

export function managedServiceByAlias(alias: string): ManagedService | undefined {
  return managedServices().find((s) => s.alias.toLowerCase() === alias.trim().toLowerCase());
}
