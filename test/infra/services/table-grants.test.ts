import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { grantTableActions, TableGrantError, type TableAction } from '../../../lib/services/table-grants';
import { cdkJsonContext } from '../support/cdk-json';
import { problemsThrown } from '../support/checks';
import { expectRolePolicy, logicalId } from '../support/template';

describe('grantTableActions', () => {
  const setup = () => {
    // cdk.json's feature flags: the policy as the shop's stack renders it.
    const stack = new Stack(new App({ context: cdkJsonContext() }), 'TableGrantsTest');
    const table = new dynamodb.Table(stack, 'Orders', { partitionKey: { name: 'orderId', type: dynamodb.AttributeType.STRING } });
    const role = new iam.Role(stack, 'Fn', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    return { stack, table, role };
  };

  it('allows exactly the actions given on the table, and nothing else', () => {
    // Prepare
    const { stack, table, role } = setup();

    // Act
    grantTableActions(table, role, ['GetItem', 'PutItem']);

    // Assess
    expectRolePolicy(Template.fromStack(stack), role, [{ Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [logicalId(table), 'Arn'] } }]);
  });

  describe('rejects', () => {
    const problemsOf = (actions: readonly TableAction[]) => {
      const { table, role } = setup();
      return problemsThrown(TableGrantError)(() => grantTableActions(table, role, actions));
    };

    it('a grant of no action', () => {
      expect(problemsOf([])).toEqual([expect.stringMatching(/^actions is empty: list the operations the grantee calls/)]);
    });

    it('an action that is not a DynamoDB item or query action', () => {
      expect(problemsOf(['GetItem', '*' as TableAction, 'DeleteTable' as TableAction])).toEqual([
        expect.stringMatching(/^actions has '\*', 'DeleteTable': use DynamoDB item or query actions \(GetItem, /),
      ]);
    });

    it('an action listed twice', () => {
      expect(problemsOf(['PutItem', 'GetItem', 'PutItem'])).toEqual(["actions lists 'PutItem' more than once: list each action once."]);
    });

    it('with every problem in one error naming the table and the grantee', () => {
      const { table, role } = setup();
      expect(() => grantTableActions(table, role, ['Scan', 'Truncate' as TableAction, 'Scan'])).toThrow(
        /^Invalid grant on TableGrantsTest\/Orders to TableGrantsTest\/Fn:\n- actions has 'Truncate'.*\n- actions lists 'Scan' more than once/,
      );
    });
  });
});
