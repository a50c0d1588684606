/**
 * The one path from a command's schemas to the command line: field names become flags (`rank_by` → `--rank-by`; a
 * boolean that defaults to true → `--no-<name>`; a list → comma-separated), values are coerced and validated by
 * src/app/options.ts, and --help is written from the same fields (description, allowed values, default).
 */
import { parseArgs } from 'node:util';
import { CloutError } from '../domain/index.js';
import { nearest, optionFields, optionsFromText, rangeText, type OptionField, type OptionsSchema } from '../app/options.js';
import type { Command, CommandArgs } from './command.js';

/** A field as a flag: its name on the command line (without the dashes) and whether it is a switch. */
interface Flag {
  field: OptionField;
  /** 'options' (the use case's) or 'flags' (the command's presentation flags). */
  from: 'options' | 'flags';
  name: string;
  switch: boolean;
  /** A switch that turns a default-true option off (`--no-model`). */
  negated: boolean;
}

const kebab = (name: string): string => name.replaceAll('_', '-');

/** The flags of a command, options first, in declaration order. */
export function commandFlags(command: Command): Flag[] {
  const out: Flag[] = [];
  for (const [from, schema] of [['options', command.options], ['flags', command.flags]] as const) {
    for (const field of optionFields(schema as OptionsSchema)) {
      const isSwitch = field.kind === 'boolean';
      const negated = isSwitch && field.default === true;
      out.push({ field, from, name: negated ? `no-${kebab(field.name)}` : kebab(field.name), switch: isSwitch, negated });
    }
  }
  return out;
}

/** The flag that names a field (`--rank-by`, `--no-model`). */
export function flagLabel(command: Command, field: string): string {
  const f = commandFlags(command).find((x) => x.field.name === field);
  return `--${f?.name ?? kebab(field)}`;
}

/** Parses a command's arguments into typed options and flags; usage errors are CloutErrors naming the flag. */
export function parseCommandArgs(command: Command, argv: readonly string[]): CommandArgs<OptionsSchema, OptionsSchema> {
  const flags = commandFlags(command);
  const byName = new Map(flags.map((f) => [f.name, f]));
  // Unknown flags (with a suggestion), and a negative number after a value flag (`--top -3`) kept as its value.
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      args.push(...argv.slice(i));
      break;
    }
    if (a.startsWith('-') && a.length > 1 && !/^-\d/.test(a)) {
      const name = a.replace(/^--?/, '').split('=')[0]!;
      const flag = byName.get(name);
      if (flag === undefined) {
        const near = nearest(name, [...byName.keys()]);
        throw new CloutError('usage', `unknown flag ${a.split('=')[0]}${near ? `; did you mean --${near}?` : `; run 'clout ${command.name} --help' for the flags`}`);
      }
      const next = argv[i + 1];
      if (!flag.switch && !a.includes('=') && next !== undefined && /^-(\d|\.\d)/.test(next)) {
        args.push(`--${name}=${next}`);
        i++;
        continue;
      }
      if (!a.startsWith('--')) {
        args.push(`--${a.slice(1)}`);
        continue;
      }
    }
    args.push(a);
  }
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      options: Object.fromEntries(flags.map((f) => [f.name, { type: f.switch ? ('boolean' as const) : ('string' as const) }])),
      allowPositionals: command.positionals !== undefined,
      strict: true,
    }) as { values: Record<string, string | boolean | undefined>; positionals: string[] });
  } catch (e) {
    const msg = (e as Error).message;
    const missing = /^Option '(-\w, )?(--[\w-]+)[^']*' argument missing/.exec(msg);
    if (missing) throw new CloutError('usage', `${missing[2]} needs a value`);
    const switchValue = /^Option '(--[\w-]+)' does not take an argument/.exec(msg);
    if (switchValue) throw new CloutError('usage', `${switchValue[1]} is a switch; it takes no value`);
    const positional = /^Unexpected argument '([^']*)'/.exec(msg);
    if (positional) throw new CloutError('usage', `unexpected argument '${positional[1]}'; clout ${command.name} takes only flags`);
    throw new CloutError('usage', msg.split('\n')[0]!);
  }
  const texts = { options: {} as Record<string, string>, flags: {} as Record<string, string> };
  const given = new Set<string>();
  for (const f of flags) {
    const v = values[f.name];
    if (v === undefined) continue;
    given.add(f.field.name);
    texts[f.from][f.field.name] = f.switch ? String(f.negated ? !v : v) : String(v);
  }
  const label = (name: string): string => `--${flags.find((f) => f.field.name === name)?.name ?? kebab(name)}`;
  for (const f of flags) {
    if (f.field.required && !given.has(f.field.name)) {
      throw new CloutError('usage', `${label(f.field.name)} is required${f.field.description ? ` (${f.field.description})` : ''}`);
    }
  }
  return {
    options: optionsFromText(command.options, texts.options, label),
    flags: optionsFromText(command.flags, texts.flags, label),
    positionals,
    given,
  };
}

/** The value a flag line shows after the flag name (`N`, `sale|donation`, `A,B,...`). */
function metavar(f: Flag): string {
  if (f.switch) return '';
  const { field } = f;
  if (field.choices && field.kind !== 'list') return field.choices.join('|').length <= 40 ? field.choices.join('|') : 'NAME';
  if (field.kind === 'list') return `${field.name.toUpperCase().replaceAll('_', '-')},...`;
  if (field.kind === 'integer') return 'N';
  if (field.kind === 'number') return 'X';
  return field.name === 'db' || /(^|_)(path|paths|file|html|plot|out|rejects|edges)($|_)/.test(field.name) ? 'PATH' : field.name.toUpperCase().replaceAll('_', '-');
}

/** A default as the help shows it. */
function defaultText(f: Flag): string | undefined {
  const d = f.field.default;
  if (d === undefined) return undefined;
  if (f.switch) return f.negated ? 'on' : d ? 'on' : 'off';
  if (Array.isArray(d)) return d.length === 0 ? 'none' : d.join(',');
  if (typeof d === 'number') return Math.abs(d) >= 10_000 && Number.isInteger(d) ? d.toLocaleString('en-US') : String(d);
  return String(d);
}

/** The --help text of a command: summary, usage, every flag with what it takes and its default, notes, one example. */
export function commandHelp(command: Command): string {
  const flags = commandFlags(command);
  const heads = flags.map((f) => `--${f.name}${f.switch ? '' : ` ${metavar(f)}`}`);
  const width = Math.min(34, Math.max(...heads.map((h) => h.length), 8));
  const lines = flags.map((f, i) => {
    const parts: string[] = [f.negated ? `turn off: ${f.field.description ?? f.field.name}` : f.field.description ?? ''];
    if (f.field.choices && f.field.kind === 'list') parts.push(`among ${f.field.choices.join(', ')}`);
    else if (f.field.choices && metavar(f) === 'NAME') parts.push(`one of ${f.field.choices.join(', ')}`);
    const range = f.field.kind === 'integer' || f.field.kind === 'number' ? rangeText(f.field).trim() : '';
    if (range) parts.push(range);
    const d = defaultText(f);
    const said = /\(default[ :]/.test(f.field.description ?? '');
    const tail = f.field.required ? ' (required)' : f.negated ? ' (the default is on)' : d !== undefined && !said ? ` (default ${d})` : '';
    const text = parts.filter((p) => p.length > 0).join('; ') + tail;
    const head = heads[i]!;
    return head.length > width ? `  ${head}\n  ${''.padEnd(width)}  ${text}` : `  ${head.padEnd(width)}  ${text}`;
  });
  const pos = command.positionals ? ` ${command.positionals.usage}` : '';
  return (
    `${command.summary}\n\nUsage: clout ${command.name}${pos} [flags]\n` +
    (command.positionals ? `  ${command.positionals.usage}  ${command.positionals.description}\n` : '') +
    `\nFlags:\n${lines.join('\n')}\n` +
    (command.notes && command.notes.length > 0 ? `\n${command.notes.join('\n')}\n` : '') +
    `\nExample: ${command.example}\n`
  );
}
