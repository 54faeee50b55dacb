import { requireEnv } from './env';

/**
 * CloudWatch metrics in the Embedded Metric Format: one JSON line on standard output per metric, which CloudWatch
 * Logs turns into a metric. Same variables as Powertools Metrics: `POWERTOOLS_METRICS_NAMESPACE` and
 * `POWERTOOLS_SERVICE_NAME` (the `service` dimension), both required at cold start, and `POWERTOOLS_METRICS_DISABLED`.
 *
 * Written here rather than imported because Powertools Metrics costs 15 KB of minified bundle, and the orders
 * functions only fit the 250 KB bundle budget without it.
 */

export type MetricUnit = 'Count' | 'Milliseconds';

export interface EmfMetricsOptions {
  /** @default - `POWERTOOLS_METRICS_NAMESPACE`, which must then be set */
  readonly namespace?: string;
  /** The `service` dimension. @default - `POWERTOOLS_SERVICE_NAME`, which must then be set */
  readonly serviceName?: string;
  /** @default - true when `POWERTOOLS_METRICS_DISABLED` is `true` or `1` */
  readonly disabled?: boolean;
  /** Where each EMF line goes. @default - standard output */
  readonly write?: (line: string) => void;
}

export class EmfMetrics {
  private readonly namespace: string;
  private readonly serviceName: string;
  private readonly disabled: boolean;
  private readonly write: (line: string) => void;

  constructor(options: EmfMetricsOptions = {}) {
    this.namespace = options.namespace ?? requireEnv('POWERTOOLS_METRICS_NAMESPACE');
    this.serviceName = options.serviceName ?? requireEnv('POWERTOOLS_SERVICE_NAME');
    this.disabled = options.disabled ?? /^(true|1)$/i.test(process.env.POWERTOOLS_METRICS_DISABLED ?? '');
    this.write = options.write ?? ((line) => process.stdout.write(`${line}\n`));
  }

  /** Publish one value of `name` now, with dimensions `service` plus `dimensions`. */
  publish(name: string, unit: MetricUnit, value: number, dimensions: Record<string, string> = {}): void {
    if (this.disabled) return;
    const allDimensions = { service: this.serviceName, ...dimensions };
    this.write(
      JSON.stringify({
        _aws: {
          Timestamp: Date.now(),
          CloudWatchMetrics: [
            {
              Namespace: this.namespace,
              Dimensions: [Object.keys(allDimensions)],
              Metrics: [{ Name: name, Unit: unit }],
            },
          ],
        },
        ...allDimensions,
        [name]: value,
      }),
    );
  }
}

/** The function's one metrics publisher. */
export const metrics = new EmfMetrics();
