/**
 * Batched deny claims (one propagation per class of equivalent interfaces)
 * give the verdicts, witnesses and counterexamples of claim-by-claim checks.
 */
import { describe, expect, it } from 'vitest';
import { generatedNetwork } from '../../test/helpers/generated.js';
import { batchable, BATCH_MIN } from './batch.js';
import { checkClaim } from './check.js';
import { claimsOf, verifyNetwork } from './verify.js';

describe('batched exfiltration claims', () => {
  // Most claims pass on the propagation with open outbound NSGs, the others on the merged one or on their own;
  // seeds and rule counts vary which of the three decides.
  it.each([
    ['shared NSGs', 5, { sharedNsg: true, nicNsgFraction: 0.3, nicRules: 6 }],
    ['one NSG per subnet', 5, {}],
    ['shared NSGs', 11, { sharedNsg: true, nicNsgFraction: 0.5, nicRules: 3, firewallRules: 60 }],
    ['one NSG per subnet', 12, { rules: 3, firewallRules: 5 }],
    ['one NSG per subnet', 13, { rules: 25, firewallRules: 80 }],
  ])('agree with claim-by-claim checks (%s, seed %i)', (_, seed, extra) => {
    const { gen, net, graph } = generatedNetwork({ spokes: 7, subnets: 4, rules: 10, firewallRules: 20, flows: 10, seed, ...extra });
    const claims = net.scenario.intents.filter((i) => gen.exfiltrationIntents.includes(i.name)).flatMap((i) => claimsOf(net, i).claims);
    expect(claims.length).toBeGreaterThanOrEqual(BATCH_MIN);
    expect(batchable(net, claims).flat().length).toBe(claims.length);
    const batched = verifyNetwork(net, [], { only: gen.exfiltrationIntents }, graph).intents;
    const alone = claims.map((c) => checkClaim(net, graph, c));
    expect(batched.map((r) => r.status)).toEqual(alone.map((r) => r.status));
    expect(batched.filter((r) => r.status === 'fail').length).toBeGreaterThan(0);
    expect(batched.map((r) => r.witness?.packet)).toEqual(alone.map((r) => r.witness?.packet));
    expect(batched.map((r) => r.counterexamples)).toEqual(alone.map((r) => r.counterexamples));
  });
});
