/**
 * CloudWatch Embedded Metric Format: a JSON log line that CloudWatch Logs turns into metrics. Parses one line of a
 * function's output into the values CloudWatch would record:
 *
 *   {"_aws":{"Timestamp":1700000000000,"CloudWatchMetrics":[{"Namespace":"Shop","Dimensions":[["service"]],
 *     "Metrics":[{"Name":"OrderPlaced","Unit":"Count"}]}]},"service":"orders","OrderPlaced":1}
 *
 * One datum per metric, per dimension set, per value (a metric's member may be one number or a list of up to 100).
 * A line that is not JSON, or JSON without `_aws`, is not EMF: no metrics and no problem. A line with `_aws` that
 * breaks the specification (no Timestamp, a dimension that is not a string member, a metric whose member is not a
 * number…) gives no metrics and a problem naming what is wrong, as CloudWatch then logs the line without extracting
 * anything. Limits as CloudWatch's: 30 dimensions per set, 100 metrics per directive, 100 values per metric.
 */
import type { MetricDatum } from './metric-types';
import { isRecord } from '../shared/json';

export interface EmfResult {
  readonly datums: MetricDatum[];
  /** Why a line that claims to be EMF yields nothing. */
  readonly problem?: string;
}

const NONE: EmfResult = { datums: [] };

class EmfProblem extends Error {}

function directiveDatums(directive: unknown, index: number, root: Record<string, unknown>, timestamp: number): MetricDatum[] {
  const where = `CloudWatchMetrics[${index}]`;
  if (!isRecord(directive)) throw new EmfProblem(`${where} is not an object`);
  const namespace = directive.Namespace;
  if (typeof namespace !== 'string' || namespace === '' || namespace.length > 255) throw new EmfProblem(`${where}.Namespace must be a string of 1 to 255 characters`);
  if (!Array.isArray(directive.Dimensions)) throw new EmfProblem(`${where}.Dimensions must be a list of dimension sets`);
  const dimensionSets = directive.Dimensions.map((set, setIndex) => {
    if (!Array.isArray(set) || !set.every((name) => typeof name === 'string')) throw new EmfProblem(`${where}.Dimensions[${setIndex}] must be a list of member names`);
    if (set.length > 30) throw new EmfProblem(`${where}.Dimensions[${setIndex}] has ${set.length} dimensions; at most 30`);
    const dimensions: Record<string, string> = {};
    for (const name of set as string[]) {
      const value = root[name];
      if (typeof value !== 'string') throw new EmfProblem(`dimension ${name} of ${where} must be a string member of the line, got ${JSON.stringify(value)}`);
      dimensions[name] = value;
    }
    return Object.freeze(dimensions);
  });
  // A directive without dimension sets records its metrics without dimensions.
  if (dimensionSets.length === 0) dimensionSets.push(Object.freeze({}));
  if (!Array.isArray(directive.Metrics)) throw new EmfProblem(`${where}.Metrics must be a list`);
  if (directive.Metrics.length > 100) throw new EmfProblem(`${where}.Metrics has ${directive.Metrics.length} metrics; at most 100`);
  const datums: MetricDatum[] = [];
  for (const [metricIndex, metric] of directive.Metrics.entries()) {
    if (!isRecord(metric) || typeof metric.Name !== 'string' || metric.Name === '') throw new EmfProblem(`${where}.Metrics[${metricIndex}] needs a Name`);
    const unit = metric.Unit;
    if (unit !== undefined && typeof unit !== 'string') throw new EmfProblem(`${where}.Metrics[${metricIndex}].Unit must be a string`);
    const member = root[metric.Name];
    const values = Array.isArray(member) ? member : [member];
    if (values.length === 0 || values.length > 100 || !values.every((value) => typeof value === 'number' && Number.isFinite(value))) {
      throw new EmfProblem(`metric ${metric.Name} must be a number member of the line, or a list of 1 to 100 numbers, got ${JSON.stringify(member)}`);
    }
    for (const dimensions of dimensionSets) {
      for (const value of values as number[]) {
        datums.push({ namespace, metricName: metric.Name, dimensions, value, timestamp, ...(unit !== undefined ? { unit } : {}) });
      }
    }
  }
  return datums;
}

/** Parses one line of output (see the module comment). */
export function parseEmfLine(line: string): EmfResult {
  const text = line.trim();
  if (!text.startsWith('{') || !text.includes('"_aws"')) return NONE;
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return NONE;
  }
  if (!isRecord(root) || root._aws === undefined) return NONE;
  try {
    const metadata = root._aws;
    if (!isRecord(metadata)) throw new EmfProblem('_aws must be an object');
    const timestamp = metadata.Timestamp;
    if (typeof timestamp !== 'number' || !Number.isFinite(timestamp)) throw new EmfProblem('_aws.Timestamp must be a number of epoch milliseconds');
    if (!Array.isArray(metadata.CloudWatchMetrics)) throw new EmfProblem('_aws.CloudWatchMetrics must be a list');
    return { datums: metadata.CloudWatchMetrics.flatMap((directive, index) => directiveDatums(directive, index, root as Record<string, unknown>, timestamp)) };
  } catch (error) {
    if (error instanceof EmfProblem) return { datums: [], problem: `not a valid embedded metric format line: ${error.message}` };
    throw error;
  }
}
