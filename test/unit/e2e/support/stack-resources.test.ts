import { pickStackResource, StackResourceError } from '../../../e2e/support/stack-resources';

describe('pickStackResource', () => {
  it('finds a resource named the way the local runtime, LocalStack and CloudFormation name it', () => {
    const local = ['HybridShop-PaymentsCommandsQueueBBBFABDF.fifo', 'HybridShop-PaymentsCommandsDeadLetterQueue40AC5BE4.fifo'];
    const aws = ['HybridShop-NotificationsEmailsQueueB579C6C7-Xy12AbCd34Ef', 'HybridShop-NotificationsEmailsDeadLetterQueueB75E41BD-9a8B7c6D5e4F'];
    expect(pickStackResource(local, 'HybridShop', 'PaymentsCommandsQueue', 'queue')).toBe('HybridShop-PaymentsCommandsQueueBBBFABDF.fifo');
    expect(pickStackResource(aws, 'HybridShop', 'NotificationsEmailsQueue', 'queue')).toBe('HybridShop-NotificationsEmailsQueueB579C6C7-Xy12AbCd34Ef');
    expect(pickStackResource(aws, 'HybridShop', 'NotificationsEmailsDeadLetterQueueB75E41BD', 'queue')).toBe(
      'HybridShop-NotificationsEmailsDeadLetterQueueB75E41BD-9a8B7c6D5e4F',
    );
  });

  it('does not take a longer logical id, or another stack, for the one asked', () => {
    const names = ['HybridShop-OrdersTableA1B2C3D4', 'HybridShop-OrdersTableArchive99887766', 'HybridShopStaging-OrdersTableA1B2C3D4'];
    expect(pickStackResource(names, 'HybridShop', 'OrdersTable', 'table')).toBe('HybridShop-OrdersTableA1B2C3D4');
  });

  it('says so when no resource, or several, answer', () => {
    expect(() => pickStackResource([], 'HybridShop', 'OrdersTimelineTable', 'table')).toThrow(/no table of stack HybridShop is named HybridShop-OrdersTimelineTable…/);
    expect(() => pickStackResource(['HybridShop-QA1B2C3D4', 'HybridShop-QA1B2C3D4-x'], 'HybridShop', 'Q', 'queue')).toThrow(StackResourceError);
  });
});
