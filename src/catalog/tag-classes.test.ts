import { describe, expect, it } from 'vitest';
import { notAllowedInFirewall, notAllowedInRoutes, pseudoTag } from './pseudo-tags.js';
import { classifyTag } from './tag-classes.js';

describe('pseudo tags (F1.6, F7.1)', () => {
  it('knows the NSG-only tags in every spelling, classic ones included', () => {
    expect(pseudoTag('virtualnetwork')).toBe('VirtualNetwork');
    expect(pseudoTag('VIRTUAL_NETWORK')).toBe('VirtualNetwork');
    expect(pseudoTag('Azure_LoadBalancer')).toBe('AzureLoadBalancer');
    expect(pseudoTag('INTERNET')).toBe('Internet');
    expect(pseudoTag('AzurePlatformIMDS')).toBe('AzurePlatformIMDS');
    expect(pseudoTag('Storage')).toBeUndefined();
  });

  it('F2.3.4 / F4.3.4: keeps them out of routes and Azure Firewall', () => {
    for (const t of ['VirtualNetwork', 'Internet', 'AzureLoadBalancer', 'AzurePlatformDNS', 'AzurePlatformLKM']) {
      expect(notAllowedInRoutes(t), t).toBe(true);
      expect(notAllowedInFirewall(t), t).toBe(true);
    }
    expect(notAllowedInRoutes('Storage.EastUS')).toBe(false);
    expect(notAllowedInFirewall('AzureActiveDirectory')).toBe(false);
  });
});

describe('tag classes (the format: internet is the adversary)', () => {
  it('counts multi-tenant storage, regional or not and in any case, as exfiltration', () => {
    expect(classifyTag('Storage').exfiltration).toBe(true);
    expect(classifyTag('storage.eastus').exfiltration).toBe(true);
    expect(classifyTag('AzureFrontDoor.Frontend').exfiltration).toBe(true);
  });

  it('does not count the services the format names as not counted', () => {
    for (const t of ['AzureActiveDirectory', 'AzureResourceManager', 'AzureMachineLearning', 'BatchNodeManagement.EastUS', 'MicrosoftContainerRegistry', 'AzureFrontDoor.FirstParty', 'GatewayManager', 'AzureLoadBalancer']) {
      expect(classifyTag(t).exfiltration, t).toBe(false);
      expect(classifyTag(t).reason, t).not.toBe('');
    }
  });

  it('judges AzureCloud by the addresses it holds, and defaults unknown tags to counted', () => {
    expect(classifyTag('AzureCloud.germanywc')).toMatchObject({ exfiltration: true, aggregate: true });
    expect(classifyTag('SomeNewService').exfiltration).toBe(true);
    expect(classifyTag('SomeNewService').aggregate).toBe(false);
  });
});
