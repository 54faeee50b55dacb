import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { AlarmEvaluator } from '../../../../local/cloudwatch/alarm-evaluator';
import { cloudWatchService } from '../../../../local/cloudwatch/cloudwatch-service';
import { MetricStore } from '../../../../local/cloudwatch/metric-store';
import { EdgeServer } from '../../../../local/edge/edge-server';
import { alarmModelOf, metricAlarm } from '../../../unit/local/cloudwatch/alarm-template';

const run = promisify(execFile);
/** Debian 12's AWS CLI v2, which speaks CloudWatch's query protocol (newer CLIs speak JSON 1.0, as the SDK does). */
const DEBIAN_AWS_CLI = '/usr/bin/aws';

describe('the CloudWatch edge service, through the AWS CLI (query protocol)', () => {
  let edge: EdgeServer;
  let url: string;
  let store: MetricStore;
  const cli = existsSync(DEBIAN_AWS_CLI);

  beforeAll(async () => {
    store = new MetricStore();
    const evaluator = new AlarmEvaluator({ alarms: alarmModelOf({ Errors: metricAlarm() }), store });
    evaluator.evaluateNow();
    edge = new EdgeServer();
    edge.register(cloudWatchService({ store, evaluator, region: 'us-east-1', accountId: '000000000000' }));
    ({ url } = await edge.listen(0));
  });

  afterAll(() => edge.close());

  async function aws(...args: string[]): Promise<unknown> {
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_PAGER: '',
    };
    const { stdout } = await run(DEBIAN_AWS_CLI, ['cloudwatch', ...args, '--endpoint-url', url, '--output', 'json'], { env, timeout: 30_000 });
    return stdout.trim() === '' ? {} : JSON.parse(stdout);
  }

  // Without the CLI the test is skipped, visibly (its title says why), never passed without running.
  const itWithCli = cli ? it : it.skip;
  itWithCli(`puts metric data, reads statistics back and describes the alarms${cli ? '' : ` [skipped: ${DEBIAN_AWS_CLI} (AWS CLI v2) is not installed]`}`, async () => {
    // Prepare
    const start = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000);
    const end = new Date(start.getTime() + 180_000);

    // Act
    await aws('put-metric-data', '--namespace', 'Shop/Cli', '--metric-name', 'Orders', '--value', '3', '--unit', 'Count', '--dimensions', 'service=orders');
    const statistics = await aws(
      'get-metric-statistics',
      '--namespace',
      'Shop/Cli',
      '--metric-name',
      'Orders',
      '--dimensions',
      'Name=service,Value=orders',
      '--start-time',
      start.toISOString(),
      '--end-time',
      end.toISOString(),
      '--period',
      '180',
      '--statistics',
      'Sum',
      'SampleCount',
    );
    const alarms = await aws('describe-alarms', '--alarm-names', 'HybridShop-Errors');

    // Assess
    expect(statistics).toEqual({ Label: 'Orders', Datapoints: [expect.objectContaining({ Sum: 3, SampleCount: 1, Unit: 'Count' })] });
    expect(alarms).toMatchObject({ MetricAlarms: [{ AlarmName: 'HybridShop-Errors', StateValue: 'OK', Dimensions: [{ Name: 'FunctionName', Value: 'shop-place-order' }], Period: 300 }], CompositeAlarms: [] });
  }, 60_000);
});
