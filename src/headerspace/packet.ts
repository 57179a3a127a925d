/**
 * Header dimensions and concrete packets. A packet addressed to a public
 * destination also carries the class of the name it was addressed to
 * (dstName): that is what Azure Firewall application rules and PaaS
 * endpoints decide on.
 */
import { IPV4_MAX } from '../net/ipv4.js';
import { PORT_MAX } from '../net/ports.js';

export const DIM = { proto: 0, srcIp: 1, srcPort: 2, dstIp: 3, dstPort: 4, dstName: 5 } as const;
export const DIM_COUNT = 6;
export type Dim = (typeof DIM)[keyof typeof DIM];
export const DIM_NAMES = ['protocol', 'srcIp', 'srcPort', 'dstIp', 'dstPort', 'dstName'] as const;

export const PROTO = { ICMP: 1, TCP: 6, UDP: 17, ESP: 50, AH: 51 } as const;
export const PROTO_MAX = 255;
export const DIM_MAX = [PROTO_MAX, IPV4_MAX, PORT_MAX, IPV4_MAX, PORT_MAX, 0xffff] as const;

/** Protocols whose packets carry ports; every other protocol's ports are 0 in topo's packet space. */
export function hasPorts(protocol: number): boolean {
  return protocol === PROTO.TCP || protocol === PROTO.UDP;
}

export interface Packet {
  readonly protocol: number;
  readonly srcIp: number;
  readonly srcPort: number;
  readonly dstIp: number;
  readonly dstPort: number;
  readonly dstName: number;
}

export function packetDim(p: Packet, dim: number): number {
  switch (dim) {
    case 0:
      return p.protocol;
    case 1:
      return p.srcIp;
    case 2:
      return p.srcPort;
    case 3:
      return p.dstIp;
    case 4:
      return p.dstPort;
    default:
      return p.dstName;
  }
}

export function withDim(p: Packet, dim: number, value: number): Packet {
  switch (dim) {
    case 0:
      return { ...p, protocol: value };
    case 1:
      return { ...p, srcIp: value };
    case 2:
      return { ...p, srcPort: value };
    case 3:
      return { ...p, dstIp: value };
    case 4:
      return { ...p, dstPort: value };
    default:
      return { ...p, dstName: value };
  }
}

export function protocolName(protocol: number): string {
  switch (protocol) {
    case PROTO.TCP:
      return 'Tcp';
    case PROTO.UDP:
      return 'Udp';
    case PROTO.ICMP:
      return 'Icmp';
    case PROTO.ESP:
      return 'Esp';
    case PROTO.AH:
      return 'Ah';
    default:
      return `ip-proto-${protocol}`;
  }
}
