/**
 * What the local runtime's CloudWatch records: one value of one metric, as AWS would publish it (namespace, name,
 * dimensions and unit exactly as CloudWatch shows them).
 */
export interface MetricDatum {
  /** e.g. `AWS/Lambda`, `AWS/ApiGateway`, or a function's own EMF namespace. */
  readonly namespace: string;
  readonly metricName: string;
  /** Name → value; order does not matter (CloudWatch identifies a metric by the set). */
  readonly dimensions: Readonly<Record<string, string>>;
  readonly value: number;
  /** A CloudWatch StandardUnit (`Milliseconds`, `Count`, `Seconds`…). @default 'None' */
  readonly unit?: string;
  /** Epoch milliseconds. @default - now */
  readonly timestamp?: number;
}

/** Where metric producers (the gateway, the function pools, the samplers, EMF lines) hand their values. */
export interface MetricSink {
  put(datum: MetricDatum): void;
}
