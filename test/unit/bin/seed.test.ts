import { seedTargetFrom } from '../../../bin/seed';

const outputsFile = (stacks: Record<string, Record<string, string>>) => () => JSON.stringify(stacks);
const tables = { ProductsTableName: 'products', StockTableName: 'stock' };

describe('seedTargetFrom', () => {
  it("seeds the outputs file's only stack, whatever its stage named it, and keeps its public API URL", () => {
    const target = seedTargetFrom(new Map([['outputs', 'o.json']]), outputsFile({ 'HybridShop-dev': { ...tables, PublicApiUrl: 'https://abc.execute-api.us-east-1.amazonaws.com/dev/' } }));

    expect(target).toEqual({ productsTableName: 'products', stockTableName: 'stock', publicApiUrl: 'https://abc.execute-api.us-east-1.amazonaws.com/dev/' });
  });

  it('asks for --stack when the file holds several, and takes the one named', () => {
    const file = outputsFile({ HybridShop: tables, 'HybridShop-dev': { ProductsTableName: 'dev-products', StockTableName: 'dev-stock' } });

    expect(() => seedTargetFrom(new Map([['outputs', 'o.json']]), file)).toThrow(/holds 2 stacks \(HybridShop, HybridShop-dev\): pick one with --stack/);
    expect(seedTargetFrom(new Map([['outputs', 'o.json'], ['stack', 'HybridShop-dev']]), file)).toEqual({ productsTableName: 'dev-products', stockTableName: 'dev-stock' });
  });

  it('takes explicit table names, and names what is missing', () => {
    expect(seedTargetFrom(new Map([['products-table', 'p'], ['stock-table', 's']]))).toEqual({ productsTableName: 'p', stockTableName: 's' });
    expect(() => seedTargetFrom(new Map([['products-table', 'p']]))).toThrow(/give --outputs/);
    expect(() => seedTargetFrom(new Map([['outputs', 'o.json']]), outputsFile({ HybridShop: {} }))).toThrow(/no ProductsTableName\/StockTableName outputs for stack HybridShop/);
  });
});
