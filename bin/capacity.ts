#!/usr/bin/env node
/**
 * The shop's capacity on AWS, on paper: per resource of the synthesized template, the load a rate of orders puts on it
 * against its limit, and the rate at which it binds (lib/capacity/capacity-model.ts).
 *
 *   npm run capacity -- --orders-per-second 200
 *   npm run capacity -- --orders-per-second 10,200,2000            # one column per rate
 *   npm run capacity -- --orders-per-second 2000 --sized           # the stack as -c ordersPerSecond=2000 sizes it
 *   npm run capacity -- --orders-per-second 200 --assembly cdk.out # the template `cdk synth` wrote
 *
 * Without `--assembly` the stack is synthesized in-process without bundling (`--stage` picks the stage, as `-c stage`
 * does). `--durations <file.json>`: measured milliseconds per request, message or record, by function name
 * (`{ "OrdersTimelineProjectorFunction": 9 }`); without it, durations are modelled from each function's calls.
 * The order mix: `--async-share`, `--hot-sku-share`, `--lines-per-order`, `--product-views-per-order`,
 * `--status-reads-per-async-order` (defaults in lib/capacity/order-mix.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { capacityModel, type CapacityOptions } from '../lib/capacity/capacity-model';
import { capacityTable } from '../lib/capacity/capacity-table';
import type { OrderMix } from '../lib/capacity/order-mix';
import { capacityPlanForStack, shopStackTemplate } from '../lib/capacity/shop-stack-template';
import type { CfnTemplate } from '../lib/capacity/shop-template';
import { DEFAULT_STAGE, stackNameFor } from '../lib/hybrid-shop-stack';

/** A command line `npm run capacity` cannot take; the message says what to give instead. */
export class CapacityArgsError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'CapacityArgsError';
  }
}

export interface CapacityArgs {
  /** The rates to report, in orders per second, ascending. */
  readonly ordersPerSecond: readonly number[];
  /** A cloud assembly directory to read the template from, instead of synthesizing. */
  readonly assembly?: string;
  readonly stage: string;
  /** The stack's name in the assembly, when given. */
  readonly stack?: string;
  /** Synthesize the stack sized for the highest rate. */
  readonly sized: boolean;
  /** A JSON file of measured durations. */
  readonly durations?: string;
  readonly mix: Partial<OrderMix>;
}

const USAGE =
  'usage: npm run capacity -- --orders-per-second N[,N…] [--sized] [--assembly DIR [--stack NAME]] [--stage NAME] [--durations FILE] ' +
  '[--async-share S] [--hot-sku-share S] [--lines-per-order N] [--product-views-per-order N] [--status-reads-per-async-order N]';

const MIX_FLAGS = {
  'async-share': 'asyncShare',
  'hot-sku-share': 'hotSkuShare',
  'lines-per-order': 'linesPerOrder',
  'product-views-per-order': 'productViewsPerOrder',
  'status-reads-per-async-order': 'statusReadsPerAsyncOrder',
} as const satisfies Record<string, keyof OrderMix>;

/** A number as the command line gave it, or an error naming the flag. */
function numberOf(flag: string, text: string): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value)) throw new CapacityArgsError(`--${flag} is '${text}': give a number`);
  return value;
}

/** The command line (after `--`) as options; a missing or bad flag is an error naming it. */
export function parseCapacityArgs(argv: readonly string[]): CapacityArgs {
  let values: Record<string, string | boolean | undefined>;
  // `--orders-per-second -5` is a flag and its (negative) value, not two flags: joined, so the checks below name the value.
  const args: string[] = [];
  for (const arg of argv) {
    const flag = args.at(-1);
    if (/^-\d/.test(arg) && flag?.startsWith('--') === true && !flag.includes('=')) args.splice(-1, 1, `${flag}=${arg}`);
    else args.push(arg);
  }
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        'orders-per-second': { type: 'string' },
        assembly: { type: 'string' },
        stack: { type: 'string' },
        stage: { type: 'string' },
        sized: { type: 'boolean' },
        durations: { type: 'string' },
        ...Object.fromEntries(Object.keys(MIX_FLAGS).map((flag) => [flag, { type: 'string' as const }])),
      },
    }));
  } catch (error) {
    throw new CapacityArgsError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
  const rates = values['orders-per-second'];
  if (typeof rates !== 'string') throw new CapacityArgsError(`--orders-per-second is missing: give the rate of orders to weigh, e.g. --orders-per-second 200\n${USAGE}`);
  const ordersPerSecond = rates.split(',').map((text) => {
    const rate = numberOf('orders-per-second', text);
    if (rate <= 0) throw new CapacityArgsError(`--orders-per-second is '${text}': give a rate above 0, e.g. 200`);
    return rate;
  });
  const assembly = values.assembly as string | undefined;
  if (assembly !== undefined && values.sized === true) throw new CapacityArgsError('--sized synthesizes the stack; it cannot read --assembly: give one of them');
  if (assembly !== undefined && values.stage !== undefined) throw new CapacityArgsError('--stage picks what to synthesize; with --assembly, pick the stack with --stack');
  if (assembly === undefined && values.stack !== undefined) throw new CapacityArgsError('--stack picks a stack of --assembly; to synthesize another stage, give --stage');
  const stage = (values.stage as string | undefined) ?? DEFAULT_STAGE;
  try {
    stackNameFor(stage);
  } catch (error) {
    throw new CapacityArgsError(`--stage: ${error instanceof Error ? error.message : String(error)}`);
  }
  const mix = Object.fromEntries(
    Object.entries(MIX_FLAGS).flatMap(([flag, field]) => (typeof values[flag] === 'string' ? [[field, numberOf(flag, values[flag])]] : [])),
  ) as Partial<OrderMix>;
  return {
    ordersPerSecond: [...ordersPerSecond].sort((a, b) => a - b),
    stage,
    sized: values.sized === true,
    mix,
    ...(assembly === undefined ? {} : { assembly }),
    ...(typeof values.stack === 'string' ? { stack: values.stack } : {}),
    ...(typeof values.durations === 'string' ? { durations: values.durations } : {}),
  };
}

/** The template of `stack` (or of the assembly's only stack) in the cloud assembly `dir`, and its file. */
export function assemblyTemplate(dir: string, stack?: string): { readonly template: CfnTemplate; readonly file: string } {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!existsSync(manifestFile)) throw new CapacityArgsError(`--assembly ${dir} has no manifest.json: give the directory \`cdk synth -o\` wrote (cdk.out)`);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as {
    artifacts?: Record<string, { type?: string; properties?: { templateFile?: string } }>;
  };
  const stacks = Object.entries(manifest.artifacts ?? {}).filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack');
  const names = stacks.map(([name]) => name);
  const chosen = stack === undefined ? (stacks.length === 1 ? stacks[0] : undefined) : stacks.find(([name]) => name === stack);
  if (chosen === undefined) {
    throw new CapacityArgsError(
      stack === undefined
        ? `${dir} holds ${stacks.length} stacks (${names.join(', ')}): pick one with --stack`
        : `${dir} has no stack ${stack}; it holds ${names.join(', ') || 'none'}`,
    );
  }
  const file = path.join(dir, chosen[1].properties?.templateFile ?? `${chosen[0]}.template.json`);
  return { template: JSON.parse(readFileSync(file, 'utf8')) as CfnTemplate, file };
}

/** Measured durations from `file`: an object of positive milliseconds by function name. */
export function readDurations(file: string): Record<string, number> {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !Object.values(parsed).every((ms) => typeof ms === 'number')) {
    throw new CapacityArgsError(`--durations ${file}: give an object of milliseconds by function name, e.g. { "OrdersTimelineProjectorFunction": 9 }`);
  }
  return parsed as Record<string, number>;
}

function main(args: CapacityArgs): string {
  const options: CapacityOptions = { mix: args.mix, ...(args.durations === undefined ? {} : { durationsMs: readDurations(args.durations) }) };
  if (args.assembly !== undefined) {
    const { template, file } = assemblyTemplate(args.assembly, args.stack);
    return capacityTable(capacityModel(template, options), { ordersPerSecond: args.ordersPerSecond, templateSource: file });
  }
  const stackName = stackNameFor(args.stage);
  const context = (JSON.parse(readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> }).context;
  const top = args.ordersPerSecond[args.ordersPerSecond.length - 1];
  const synth = { stackName, context, props: { stage: args.stage } };
  const capacity = args.sized ? capacityPlanForStack(top, synth) : undefined;
  const template = shopStackTemplate({ ...synth, props: { ...synth.props, capacity } });
  const source = `${stackName} synthesized from lib/${args.sized ? `, sized by -c ordersPerSecond=${top},` : ''} at stage ${args.stage}`;
  return capacityTable(capacityModel(template, options), { ordersPerSecond: args.ordersPerSecond, templateSource: source });
}

if (require.main === module) {
  try {
    console.log(main(parseCapacityArgs(process.argv.slice(2))));
  } catch (error) {
    console.error(`capacity: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
