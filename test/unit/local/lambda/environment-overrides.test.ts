import { withEnvironmentOverrides } from '../../../../local/lambda/environment-overrides';
import type { LambdaFunctionConfig } from '../../../../local/lambda/function-config';

const fn = (logicalId: string, shortName: string, environment: Record<string, string>) =>
  ({ logicalId, shortName, environment }) as unknown as LambdaFunctionConfig;

describe('withEnvironmentOverrides', () => {
  const functions = [fn('OrdersPlaceOrderAB12CD34', 'OrdersPlaceOrder', { A: '1', B: '2' }), fn('CatalogGet11112222', 'CatalogGet', { A: '9' })];

  it('sets variables on top of the template ones, by short name or logical id, and leaves the other functions as they were', () => {
    const out = withEnvironmentOverrides(functions, { OrdersPlaceOrder: { B: 'x', C: 'y' }, OrdersPlaceOrderAB12CD34: { C: 'z' } });
    expect(out[0].environment).toEqual({ A: '1', B: 'x', C: 'z' });
    expect(out[1]).toBe(functions[1]);
    expect(functions[0].environment).toEqual({ A: '1', B: '2' });
  });

  it('names the key that matches no function, and the functions there are', () => {
    expect(() => withEnvironmentOverrides(functions, { OrdersPlaceOrdr: { B: 'x' } })).toThrow(
      'environmentOverrides names no function: OrdersPlaceOrdr; the functions are OrdersPlaceOrder, CatalogGet',
    );
  });
});
