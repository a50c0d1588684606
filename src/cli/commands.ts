/**
 * The list of `clout` sub-commands, in the order `clout --help` shows them. Each is loaded when it runs, so a command
 * pays only for the modules it uses (the server, the NLP model, the network kernels load only where needed).
 */
import type { Command } from './command.js';

/** A command's name and how to load it. */
export interface CommandEntry {
  name: string;
  load: () => Promise<Command>;
}

export const COMMANDS: CommandEntry[] = [
  { name: 'demo', load: async () => (await import('./commands/demo.js')).demoCommand },
  { name: 'import', load: async () => (await import('./commands/import.js')).importCommand },
  { name: 'fetch', load: async () => (await import('./commands/fetch.js')).fetchCommand },
  { name: 'report', load: async () => (await import('./commands/report.js')).reportCommand },
  { name: 'impact', load: async () => (await import('./commands/impact.js')).impactCommand },
  { name: 'attribute', load: async () => (await import('./commands/attribute.js')).attributeCommand },
  { name: 'influence', load: async () => (await import('./commands/influence.js')).influenceCommand },
  { name: 'campaigns', load: async () => (await import('./commands/campaigns.js')).campaignsCommand },
  { name: 'conversions', load: async () => (await import('./commands/conversions.js')).conversionsCommand },
  { name: 'framing', load: async () => (await import('./commands/framing.js')).framingCommand },
  { name: 'framing classify', load: async () => (await import('./commands/framing.js')).framingClassifyCommand },
  { name: 'compare', load: async () => (await import('./commands/compare.js')).compareCommand },
  { name: 'ab', load: async () => (await import('./commands/ab.js')).abCommand },
  { name: 'generate', load: async () => (await import('./commands/generate.js')).generateCommand },
  { name: 'network metrics', load: async () => (await import('./commands/network.js')).networkMetricsCommand },
  { name: 'network tribes', load: async () => (await import('./commands/network.js')).networkTribesCommand },
  { name: 'network cascades', load: async () => (await import('./commands/network-spread.js')).networkCascadesCommand },
  { name: 'network contagion', load: async () => (await import('./commands/network-spread.js')).networkContagionCommand },
  { name: 'network probabilities', load: async () => (await import('./commands/network-spread.js')).networkProbabilitiesCommand },
  { name: 'network plan', load: async () => (await import('./commands/network-spread.js')).networkPlanCommand },
  { name: 'serve', load: async () => (await import('./commands/serve.js')).serveCommand },
  { name: 'keys create', load: async () => (await import('./commands/keys.js')).keysCreateCommand },
  { name: 'keys list', load: async () => (await import('./commands/keys.js')).keysListCommand },
  { name: 'keys revoke', load: async () => (await import('./commands/keys.js')).keysRevokeCommand },
];
