/**
 * The capacity model as text: one Markdown table of every line at the rates asked for, the first bottleneck, what to do
 * about each line over its limit, the durations used and the order mix assumed.
 */
import { LAMBDA, QUOTA_REGION } from './aws-quotas';
import { bindsAt, type CapacityLine, type CapacityModel, firstBottleneck, type Knob, loadAt, type Remedy, useAt } from './capacity-model';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function quantity(value: number, unit: CapacityLine['unit']): string {
  if (unit === 'bytes/s') {
    if (value >= 1024 * 1024) return `${(value / (1024 * 1024)).toFixed(1)} MiB/s`;
    return `${(value / 1024).toFixed(1)} KiB/s`;
  }
  const text = value < 10 && !Number.isInteger(value) ? value.toFixed(1) : integer.format(value);
  return unit === 'concurrent' ? text : `${text}/s`;
}

function rate(ordersPerSecond: number | undefined): string {
  return ordersPerSecond === undefined ? 'never' : integer.format(Math.floor(ordersPerSecond));
}

function knobText(knob: Knob): string {
  switch (knob.kind) {
    case 'shards':
      return `${knob.stream}'s shard count`;
    case 'streamConsumer':
      return `${knob.stream}'s shards × ${knob.function}'s parallelization factor`;
    case 'queueConcurrency':
      return `${knob.function}'s MaximumConcurrency`;
    case 'reservedConcurrency':
      return `${knob.function}'s reserved concurrency`;
    case 'highThroughputFifo':
      return `${knob.queue}'s high-throughput FIFO mode`;
    case 'stageThrottle':
      return `${knob.api}'s stage throttle`;
    case 'keyShards':
      return `${knob.function}'s ${knob.variable}`;
  }
}

/** What to do about `line` carrying `load`. */
export function remedyText(remedy: Remedy, load: number, ordersPerSecond: number): string {
  switch (remedy.kind) {
    case 'sized':
      return `\`-c ordersPerSecond=${ordersPerSecond}\` grows ${knobText(remedy.knob)}`;
    case 'quota':
      return `request a quota increase: ${remedy.quota}, to at least ${integer.format(Math.ceil(load - 1e-9))}`;
    case 'design':
      return `needs a code change: ${remedy.change}`;
  }
}

export interface CapacityTableOptions {
  /** The rates to show, in orders per second. */
  readonly ordersPerSecond: readonly number[];
  /** Where the template came from, for the heading. */
  readonly templateSource: string;
}

/** The report `npm run capacity` prints. */
export function capacityTable(model: CapacityModel, options: CapacityTableOptions): string {
  const rates = options.ordersPerSecond;
  const out: string[] = [];
  const { mix } = model;
  out.push(
    `Capacity on AWS (${QUOTA_REGION} quotas) of ${options.templateSource}.`,
    '',
    `Orders: ${Math.round(mix.asyncShare * 100)} % asynchronous, ${mix.linesPerOrder} line(s), ${Math.round(mix.hotSkuShare * 100)} % with the bestseller, ` +
      `${mix.productViewsPerOrder} product views and ${mix.statusReadsPerAsyncOrder} status read(s) an asynchronous order; the happy path only.`,
    '',
    `| resource | what loads it, per order | limit | ${rates.map((r) => `at ${integer.format(r)}/s`).join(' | ')} | binds at (orders/s) |`,
    `|---|---|---|${rates.map(() => '---|').join('')}---|`,
  );
  for (const line of model.lines) {
    const cells = rates.map((r) => {
      const use = useAt(line, r);
      const text = `${quantity(loadAt(line, r), line.unit)} (${Math.round(use * 100)} %)`;
      return use > 1 ? `**${text}**` : text;
    });
    out.push(`| ${line.resource} | ${line.loadedBy} | ${quantity(line.limit, line.unit)}: ${line.limitNote} | ${cells.join(' | ')} | ${rate(bindsAt(line))} |`);
  }
  const first = firstBottleneck(model.lines);
  out.push('', first === undefined ? 'First bottleneck: none grows with the rate.' : `First bottleneck: ${first.line.resource} at ${rate(first.ordersPerSecond)} orders/s.`);
  for (const r of rates) {
    const over = model.lines.filter((line) => useAt(line, r) > 1);
    if (over.length === 0) {
      out.push('', `At ${integer.format(r)} orders/s nothing is over its limit.`);
      continue;
    }
    out.push('', `Over the limit at ${integer.format(r)} orders/s:`);
    for (const line of over) out.push(`- ${line.resource}: ${remedyText(line.remedy, loadAt(line, r), r)}`);
  }
  out.push('', '| function | handles, per order | ms each | duration from |', '|---|---|---|---|');
  for (const duration of model.durations) {
    const handled = [...(model.load.handled.get([...model.shop.functions.values()].find((fn) => fn.name === duration.function)?.id ?? '') ?? [])];
    const what = handled.map(([name, n]) => `${n.toFixed(2)} ${name}`).join(', ');
    const ms = handled.map(([name]) => String(duration.ms[name])).join(' / ');
    const from = duration.source === 'given' ? '--durations' : 'modelled from its calls (lib/capacity/shop-behaviour.ts)';
    out.push(`| ${duration.function} | ${what} | ${ms} | ${from} |`);
  }
  out.push(
    '',
    'Standard SQS queues take a nearly unlimited number of calls and have no line. Lambda scales each function by at most ' +
      `${integer.format(LAMBDA.scalingEnvironmentsPer10Seconds)} environments every 10 seconds: a steady rate is not limited by it, a sudden burst ramps up over seconds.`,
  );
  return out.join('\n');
}
