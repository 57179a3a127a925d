/**
 * Diagnostics are the only way problems travel: data here, formatting in
 * report/. Codes are stable (users grep for them and suppress them); the
 * registry below is the single list of them.
 */
import type { SourceLoc } from './source-loc.js';

export type Severity = 'error' | 'warning' | 'note';

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly loc?: SourceLoc;
  readonly hint?: string;
  /** Other places involved, e.g. the first definition of a duplicate. */
  readonly related?: readonly { readonly message: string; readonly loc: SourceLoc }[];
}

interface CodeInfo {
  readonly slug: string;
  readonly severity: Severity;
  readonly summary: string;
}

/** Every input/validation code topo can emit. Never renumber; only add. */
export const CODES = {
  TOPO001: { slug: 'file-not-found', severity: 'error', summary: 'The file does not exist.' },
  TOPO002: { slug: 'not-a-file', severity: 'error', summary: 'The path is a directory or not a regular file.' },
  TOPO003: { slug: 'empty-file', severity: 'error', summary: 'The file is empty.' },
  TOPO004: { slug: 'binary-file', severity: 'error', summary: 'The file holds binary data, not YAML text.' },
  TOPO005: { slug: 'invalid-utf8', severity: 'error', summary: 'The file is not valid UTF-8.' },
  TOPO006: { slug: 'file-too-large', severity: 'error', summary: 'The file is larger than topo reads.' },
  TOPO007: { slug: 'unreadable-file', severity: 'error', summary: 'The file could not be read.' },
  TOPO010: { slug: 'yaml-syntax', severity: 'error', summary: 'The YAML does not parse.' },
  TOPO011: { slug: 'yaml-duplicate-key', severity: 'error', summary: 'A map has the same key twice.' },
  TOPO012: { slug: 'yaml-alias-limit', severity: 'error', summary: 'YAML aliases expand beyond the limit (alias bomb).' },
  TOPO013: { slug: 'yaml-too-deep', severity: 'error', summary: 'The YAML nests deeper than any scenario needs.' },
  TOPO014: { slug: 'yaml-multiple-documents', severity: 'error', summary: 'A scenario file holds exactly one YAML document.' },
  TOPO015: { slug: 'yaml-not-a-map', severity: 'error', summary: 'A scenario is a YAML map at its top level.' },
  TOPO016: { slug: 'yaml-complex-key', severity: 'error', summary: 'Map keys are plain names.' },
  TOPO100: { slug: 'unknown-key', severity: 'error', summary: 'A key the scenario format does not define.' },
  TOPO101: { slug: 'missing-key', severity: 'error', summary: 'A required key is missing.' },
  TOPO102: { slug: 'wrong-type', severity: 'error', summary: 'A value has the wrong type.' },
  TOPO103: { slug: 'invalid-enum', severity: 'error', summary: 'A value is not one of the allowed values.' },
  TOPO104: { slug: 'invalid-name', severity: 'error', summary: 'A name does not follow Azure naming rules.' },
  TOPO105: { slug: 'schema-violation', severity: 'error', summary: 'A value breaks another rule of the schema.' },
  TOPO106: { slug: 'singular-and-plural', severity: 'error', summary: 'Both the singular and the plural form of a field are given.' },
  TOPO200: { slug: 'invalid-address', severity: 'error', summary: 'Not an IPv4 address or CIDR prefix.' },
  TOPO201: { slug: 'cidr-host-bits', severity: 'error', summary: 'A CIDR prefix has host bits set.' },
  TOPO202: { slug: 'subnet-outside-vnet', severity: 'error', summary: "A subnet prefix is not inside its VNet's address space." },
  TOPO203: { slug: 'subnet-overlap', severity: 'error', summary: 'Two subnets of a VNet overlap.' },
  TOPO204: { slug: 'peered-address-overlap', severity: 'error', summary: 'Peered VNets have overlapping address spaces.' },
  TOPO205: { slug: 'unknown-reference', severity: 'error', summary: 'A reference names nothing defined in the scenario.' },
  TOPO206: { slug: 'unknown-service-tag', severity: 'error', summary: 'A service tag the catalog does not know.' },
  TOPO207: { slug: 'nsg-priority-range', severity: 'error', summary: 'NSG rule priority outside 100..4096.' },
  TOPO208: { slug: 'nsg-priority-duplicate', severity: 'error', summary: 'Two rules of one NSG share a priority in the same direction.' },
  TOPO209: { slug: 'invalid-port', severity: 'error', summary: 'A port or port range is malformed or out of range.' },
  TOPO210: { slug: 'address-outside-subnet', severity: 'error', summary: 'An address is not inside its subnet.' },
  TOPO211: { slug: 'address-reserved', severity: 'error', summary: 'An address is one Azure reserves in every subnet.' },
  TOPO212: { slug: 'address-duplicate', severity: 'error', summary: 'Two interfaces use the same private address.' },
  TOPO213: { slug: 'firewall-subnet-nsg', severity: 'error', summary: 'AzureFirewallSubnet takes no NSG.' },
  TOPO214: { slug: 'bastion-subnet-route-table', severity: 'error', summary: 'AzureBastionSubnet takes no route table.' },
  TOPO215: { slug: 'special-subnet-missing', severity: 'error', summary: 'A firewall or gateway needs its special subnet in its VNet.' },
  TOPO216: { slug: 'next-hop-address', severity: 'error', summary: 'nextHopIpAddress is required for VirtualAppliance and only there.' },
  TOPO217: { slug: 'tag-not-allowed-here', severity: 'error', summary: 'This service tag cannot be used in this place.' },
  TOPO218: { slug: 'invalid-fqdn', severity: 'error', summary: 'An FQDN or FQDN pattern Azure Firewall does not accept.' },
  TOPO219: { slug: 'invalid-rule-field', severity: 'error', summary: 'A firewall or NSG rule field combination Azure does not accept.' },
  TOPO220: { slug: 'ipv6-not-supported', severity: 'error', summary: 'IPv6 is not modelled yet.' },
  TOPO221: { slug: 'invalid-endpoint', severity: 'error', summary: 'An intent endpoint that names nothing topo can resolve.' },
  TOPO222: { slug: 'invalid-intent', severity: 'error', summary: 'An intent that cannot be checked as written.' },
  TOPO223: { slug: 'include-not-found', severity: 'error', summary: 'An included file does not exist or cannot be read.' },
  TOPO224: { slug: 'include-cycle', severity: 'error', summary: 'Files include each other in a cycle.' },
  TOPO225: { slug: 'duplicate-definition', severity: 'error', summary: 'A name is defined twice across included files.' },
  TOPO226: { slug: 'gateway-transit', severity: 'error', summary: 'A gateway-transit setting Azure rejects.' },
  TOPO227: { slug: 'service-tags-file', severity: 'error', summary: 'The service tags file cannot be used.' },
  TOPO228: { slug: 'invalid-region', severity: 'error', summary: 'A region name Azure does not have.' },
  TOPO229: { slug: 'duplicate-name', severity: 'error', summary: 'Two items of one list have the same name.' },
  TOPO230: { slug: 'peering-self', severity: 'error', summary: 'A VNet peers with itself.' },
  TOPO231: { slug: 'subnet-too-small', severity: 'error', summary: 'A subnet is smaller than Azure allows for it (/29 for any subnet, /26 for the firewall subnets).' },
  TOPO232: { slug: 'policy-inheritance-cycle', severity: 'error', summary: 'Firewall policies inherit from each other in a cycle.' },
  TOPO233: { slug: 'unknown-flow-set', severity: 'error', summary: 'A require: intent names a flow set topo does not ship.' },
  TOPO234: { slug: 'flow-set-binding', severity: 'error', summary: 'The with: bindings of a require: intent do not fit its flow set.' },
  TOPO235: { slug: 'unknown-lint', severity: 'error', summary: 'A lint.ignore entry names a lint topo does not have.' },
  TOPO236: { slug: 'managed-network', severity: 'error', summary: 'An Azure ML managed network setting or outbound rule Azure does not accept.' },
  TOPO237: { slug: 'conflicting-setting', severity: 'error', summary: 'Included files give a scenario-wide setting (region, serviceTags) different values.' },
  TOPO300: { slug: 'one-sided-peering', severity: 'warning', summary: 'A peering the remote VNet does not declare back: it carries no traffic.' },
  TOPO301: { slug: 'nsg-unattached', severity: 'warning', summary: 'An NSG attached to no subnet and no interface.' },
  TOPO302: { slug: 'subnet-without-nsg', severity: 'warning', summary: 'A subnet with no NSG: nothing filters its traffic.' },
  TOPO303: { slug: 'route-table-unattached', severity: 'warning', summary: 'A route table attached to no subnet.' },
  TOPO304: { slug: 'gateway-subnet-default-route', severity: 'warning', summary: 'GatewaySubnet with a 0.0.0.0/0 route or propagation disabled breaks the gateway.' },
  TOPO305: { slug: 'asg-unused', severity: 'warning', summary: 'An application security group no interface is a member of.' },
  TOPO306: { slug: 'empty-ip-group', severity: 'warning', summary: 'An empty IP group: Azure Firewall skips rules that use it.' },
  TOPO307: { slug: 'tag-prefix-approximation', severity: 'warning', summary: 'A literal public prefix overlaps Azure service tag ranges that the shipped catalog represents compactly.' },
  TOPO308: { slug: 'stale-service-tags', severity: 'warning', summary: 'The service tags file is older than the shipped catalog.' },
  TOPO309: { slug: 'dnat-in-forced-tunnel', severity: 'warning', summary: 'DNAT rules on a forced-tunnel firewall, where Azure does not support them.' },
  TOPO310: { slug: 'unmodelled-resource-type', severity: 'warning', summary: 'A resource type topo has no model of: paths to it are unknown.' },
  TOPO311: { slug: 'unused-lint-ignore', severity: 'warning', summary: 'A lint.ignore entry matches no finding: the problem it accepted is gone, or its target is misspelt.' },
  TOPO312: { slug: 'managed-network-incomplete', severity: 'warning', summary: 'An Azure ML managed network topo models only in part: ignored outbound rules, FQDN rules for Azure Storage, or required private endpoints to associated resources the workspace does not name.' },
} as const satisfies Record<string, CodeInfo>;

export type DiagnosticCode = keyof typeof CODES;

export function codeInfo(code: DiagnosticCode): CodeInfo {
  return CODES[code];
}

export function diag(
  code: DiagnosticCode,
  message: string,
  loc?: SourceLoc,
  extra: { hint?: string; related?: Diagnostic['related']; severity?: Severity } = {},
): Diagnostic {
  return {
    code,
    severity: extra.severity ?? CODES[code].severity,
    message,
    ...(loc ? { loc } : {}),
    ...(extra.hint ? { hint: extra.hint } : {}),
    ...(extra.related && extra.related.length > 0 ? { related: extra.related } : {}),
  };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Stable order: by file, line, column, then code. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => {
    const fa = a.loc?.file ?? '';
    const fb = b.loc?.file ?? '';
    if (fa !== fb) return fa < fb ? -1 : 1;
    const la = a.loc?.line ?? 0;
    const lb = b.loc?.line ?? 0;
    if (la !== lb) return la - lb;
    const ca = a.loc?.col ?? 0;
    const cb = b.loc?.col ?? 0;
    if (ca !== cb) return ca - cb;
    return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
  });
}
