/**
 * The start-up's CloudWatch: the queues sampled into metrics, every alarm and composite alarm of the template
 * evaluated against the metrics the other stages report (each state change logged as a `⏰` line), and CloudWatch's
 * API on the edge.
 */
import { AlarmEvaluator } from '../cloudwatch/alarm-evaluator';
import { readAlarms } from '../cloudwatch/alarm-model';
import { alarmChangeFormatter } from '../cloudwatch/alarm-trace-lines';
import { cloudWatchService } from '../cloudwatch/cloudwatch-service';
import type { EdgeServer } from '../edge/edge-server';
import { QueueSampler } from '../metrics/runtime-metrics';
import type { Resources } from './provision-resources';
import type { StackToRun } from './read-stack';
import type { Emulators } from './start-emulators';
import type { Startup } from './startup';

export function startCloudWatch(
  options: { readonly stack: StackToRun; readonly emulators: Emulators; readonly resources: Resources; readonly edge: EdgeServer },
  startup: Startup,
): AlarmEvaluator {
  const { stack, resources } = options;
  const { log, alarmTimeScale: timeScale } = startup;
  const sampler = new QueueSampler({
    stats: () => options.emulators.sqs.stats(),
    metrics: startup.metrics,
    intervalMs: QueueSampler.intervalFor(timeScale),
    onError: (message) => log(`  ! ${message}`),
  });
  sampler.start();
  startup.onStop(() => sampler.stop());
  const alarms = readAlarms({ template: stack.template, resolver: resources.resolver, physical: resources.physical });
  for (const w of alarms.warnings) log(`  ! alarm ${w.logicalId}: ${w.message}`);
  const evaluator = new AlarmEvaluator({ alarms, store: startup.store, timeScale, onError: (message) => log(`  ! CloudWatch: ${message}`) });
  const formatAlarmChange = alarmChangeFormatter();
  evaluator.onStateChange((change) => {
    const line = formatAlarmChange(change);
    if (line !== undefined) log(line);
  });
  evaluator.start();
  startup.onStop(async () => evaluator.stop());
  options.edge.register(cloudWatchService({ store: startup.store, evaluator, region: stack.region, accountId: stack.accountId }));
  startup.step(
    `CloudWatch: ${alarms.metricAlarms.length} metric alarms and ${alarms.compositeAlarms.length} composite alarms, evaluated every ` +
      `${formatMs(evaluator.evaluationIntervalMs)}${timeScale.isRealTime ? '' : ` (periods × ${timeScale.factor})`}; queues sampled every ${formatMs(QueueSampler.intervalFor(timeScale))}`,
  );
  return evaluator;
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${+(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
