import { AlarmEvaluator } from '../../../../local/cloudwatch/alarm-evaluator';
import { parseQueryRequest, renderQueryError, renderQueryResponse } from '../../../../local/cloudwatch/cloudwatch-query-protocol';
import { cloudWatchService } from '../../../../local/cloudwatch/cloudwatch-service';
import { MetricStore } from '../../../../local/cloudwatch/metric-store';
import type { EdgeRequest, EdgeService } from '../../../../local/edge/edge-server';
import { alarmModelOf, compositeAlarm, metricAlarm } from './alarm-template';

function formPost(body: string, headers: Record<string, string> = {}): EdgeRequest {
  return {
    method: 'POST',
    url: new URL('http://127.0.0.1:4566/'),
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers },
    body: Buffer.from(body),
  };
}

describe('parseQueryRequest', () => {
  it('turns member lists and nested structures into the operation input', () => {
    // Act
    const { action, input } = parseQueryRequest(
      new URLSearchParams({
        Action: 'GetMetricData',
        Version: '2010-08-01',
        StartTime: '2026-11-21T23:00:00Z',
        'MetricDataQueries.member.2.Id': 'b',
        'MetricDataQueries.member.2.Expression': 'a * 2',
        'MetricDataQueries.member.1.Id': 'a',
        'MetricDataQueries.member.1.MetricStat.Metric.Namespace': 'Shop',
        'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name': 'service',
        'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value': 'orders',
        'MetricDataQueries.member.1.MetricStat.Period': '60',
      }),
    );

    // Assess
    expect(action).toBe('GetMetricData');
    expect(input).toEqual({
      StartTime: '2026-11-21T23:00:00Z',
      MetricDataQueries: [
        { Id: 'a', MetricStat: { Metric: { Namespace: 'Shop', Dimensions: [{ Name: 'service', Value: 'orders' }] }, Period: '60' } },
        { Id: 'b', Expression: 'a * 2' },
      ],
    });
  });
});

describe('renderQueryResponse', () => {
  it('renders lists as members, dates in ISO 8601 and maps as entries', () => {
    // Act
    const xml = renderQueryResponse(
      'GetMetricStatistics',
      { Label: 'Latency', Datapoints: [{ Timestamp: new Date(Date.UTC(2026, 10, 21)), Sum: 3, ExtendedStatistics: new Map([['p99', 2]]) }] },
      'r-1',
    );

    // Assess
    expect(xml).toBe(
      '<?xml version="1.0"?><GetMetricStatisticsResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><GetMetricStatisticsResult>' +
        '<Label>Latency</Label><Datapoints><member><Timestamp>2026-11-21T00:00:00.000Z</Timestamp><Sum>3</Sum>' +
        '<ExtendedStatistics><entry><key>p99</key><value>2</value></entry></ExtendedStatistics></member></Datapoints>' +
        '</GetMetricStatisticsResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></GetMetricStatisticsResponse>',
    );
  });

  it('renders an answer without output, and errors', () => {
    expect(renderQueryResponse('PutMetricData', {}, 'r-2')).not.toContain('PutMetricDataResult');
    expect(renderQueryError('InvalidParameterValue', 'bad <value>', true, 'r-3')).toContain('<Type>Sender</Type><Code>InvalidParameterValue</Code><Message>bad &lt;value&gt;</Message>');
  });
});

describe('the CloudWatch edge service, in the query protocol', () => {
  let service: EdgeService;
  let evaluator: AlarmEvaluator;
  let store: MetricStore;

  beforeAll(() => {
    store = new MetricStore();
    evaluator = new AlarmEvaluator({ alarms: alarmModelOf({ Errors: metricAlarm(), Health: compositeAlarm('ShopHealth', ['Errors']) }), store });
    service = cloudWatchService({ store, evaluator, region: 'us-east-1', accountId: '000000000000' });
  });

  it("takes CloudWatch's query requests and leaves SQS's to SQS", () => {
    expect(service.matches(formPost('Action=DescribeAlarms&Version=2010-08-01'))).toBe(true);
    expect(service.matches(formPost('Action=SendMessage&Version=2012-11-05&MessageBody=x'))).toBe(false);
    expect(service.matches(formPost('Action=ListQueues'))).toBe(false);
    expect(service.matches({ ...formPost(''), headers: { 'x-amz-target': 'GraniteServiceVersion20100801.DescribeAlarms' } })).toBe(true);
    expect(service.matches({ ...formPost(''), headers: { 'x-amz-target': 'AmazonSQS.SendMessage' } })).toBe(false);
  });

  it('answers DescribeAlarms in XML', async () => {
    // Act
    const answer = await service.handle(formPost('Action=DescribeAlarms&Version=2010-08-01&AlarmTypes.member.1=CompositeAlarm'));

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.headers?.['content-type']).toBe('text/xml');
    expect(String(answer.body)).toMatch(/<CompositeAlarms><member>.*<AlarmName>ShopHealth<\/AlarmName>.*<StateValue>INSUFFICIENT_DATA<\/StateValue>/);
    expect(String(answer.body)).toContain('<MetricAlarms></MetricAlarms>');
  });

  it('answers an unknown action with InvalidAction in XML', async () => {
    // Act
    const answer = await service.handle(formPost('Action=PutDashboard&Version=2010-08-01'));

    // Assess
    expect(answer.status).toBe(400);
    expect(String(answer.body)).toMatch(/<Code>InvalidAction<\/Code><Message>The local CloudWatch does not serve PutDashboard/);
  });

  it('refuses Smithy RPC v2 CBOR requests, saying which protocols work', async () => {
    // Prepare
    const request: EdgeRequest = { method: 'POST', url: new URL('http://127.0.0.1:4566/service/GraniteServiceVersion20100801/operation/DescribeAlarms'), headers: { 'smithy-protocol': 'rpc-v2-cbor' }, body: Buffer.alloc(0) };

    // Act
    const answer = await service.handle(request);

    // Assess
    expect(service.matches(request)).toBe(true);
    expect(answer.status).toBe(400);
    expect(String(answer.body)).toMatch(/does not speak Smithy RPC v2 CBOR \(DescribeAlarms\)/);
  });
});
