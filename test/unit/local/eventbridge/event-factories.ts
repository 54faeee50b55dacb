/** Events for the EventBridge tests, shaped like the examples of the EventBridge user guide. */

/** The EC2 event of "Creating Amazon EventBridge event patterns", with `detail` replaced when given. */
export function ec2Event(detail: Record<string, unknown> = { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' }, overrides: Record<string, unknown> = {}) {
  return {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': 'EC2 Instance State-change Notification',
    source: 'aws.ec2',
    account: '111122223333',
    time: '2017-12-22T18:43:48Z',
    region: 'us-west-1',
    resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
    detail,
    ...overrides,
  };
}

/** An event of the shop, as EventBridge delivers it. */
export function shopEvent(detailType: string, data: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}) {
  return {
    version: '0',
    id: '0d4a4f8e-1d6b-4c1e-9d50-2a2f1f7b7b11',
    'detail-type': detailType,
    source: 'shop.orders',
    account: '000000000000',
    time: '2026-03-01T10:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: { schemaVersion: 1, eventId: 'e-1', orderId: 'o-1', version: 1, occurredAt: '2026-03-01T10:00:00.000Z', correlationId: 'c-1', data },
    ...overrides,
  };
}
