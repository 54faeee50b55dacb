import { rewriteExecuteApiUrl } from '../../../../local/apigateway/execute-api-urls';

const endpoints = [
  { apiId: 'pub1234567', localOrigin: 'http://127.0.0.1:3000' },
  { apiId: 'int7654321', localOrigin: 'http://127.0.0.1:3001' },
];

describe('rewriteExecuteApiUrl', () => {
  it('points an execute-api URL of a local API at its port, keeping the stage path', () => {
    expect(rewriteExecuteApiUrl('https://int7654321.execute-api.us-east-1.amazonaws.com/prod/', endpoints, 'us-east-1', 'amazonaws.com')).toBe(
      'http://127.0.0.1:3001/prod/',
    );
    expect(rewriteExecuteApiUrl('https://pub1234567.execute-api.us-east-1.amazonaws.com/prod/products?limit=1', endpoints, 'us-east-1', 'amazonaws.com')).toBe(
      'http://127.0.0.1:3000/prod/products?limit=1',
    );
  });

  it('leaves other values alone: other APIs, other regions, look-alike hosts, plain strings', () => {
    for (const value of [
      'https://other12345.execute-api.us-east-1.amazonaws.com/prod/',
      'https://int7654321.execute-api.eu-west-1.amazonaws.com/prod/',
      'https://int7654321.execute-api.us-east-1.amazonaws.com.evil.example/prod/',
      'HybridShop-StockTable',
    ]) {
      expect(rewriteExecuteApiUrl(value, endpoints, 'us-east-1', 'amazonaws.com')).toBe(value);
    }
  });
});
