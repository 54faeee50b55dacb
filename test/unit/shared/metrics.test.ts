import '../support/quiet-env';
import { ConfigurationError } from '../../../lambdas/shared/errors';
import { EmfMetrics } from '../../../lambdas/shared/metrics';

describe('EmfMetrics', () => {
  it('publishes one metric as an EMF line with the service and given dimensions', () => {
    // Prepare
    const lines: string[] = [];
    const metrics = new EmfMetrics({ namespace: 'HybridShop', serviceName: 'orders', disabled: false, write: (line) => lines.push(line) });

    // Act
    metrics.publish('InventoryCircuitBreakerStateChange', 'Count', 1, { State: 'OPEN' });

    // Assess
    const emf = JSON.parse(lines[0] ?? '{}');
    expect(emf).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          { Namespace: 'HybridShop', Dimensions: [['service', 'State']], Metrics: [{ Name: 'InventoryCircuitBreakerStateChange', Unit: 'Count' }] },
        ],
      },
      service: 'orders',
      State: 'OPEN',
      InventoryCircuitBreakerStateChange: 1,
    });
    expect(typeof emf._aws.Timestamp).toBe('number');
  });

  it('publishes nothing when disabled', () => {
    const lines: string[] = [];
    const metrics = new EmfMetrics({ namespace: 'HybridShop', disabled: true, write: (line) => lines.push(line) });

    metrics.publish('Anything', 'Count', 1);

    expect(lines).toEqual([]);
  });

  it('fails loudly when POWERTOOLS_METRICS_NAMESPACE is missing and no namespace is given', () => {
    const namespace = process.env.POWERTOOLS_METRICS_NAMESPACE;
    delete process.env.POWERTOOLS_METRICS_NAMESPACE;
    try {
      expect(() => new EmfMetrics({ serviceName: 'orders' })).toThrow(/POWERTOOLS_METRICS_NAMESPACE/);
      expect(() => new EmfMetrics({ serviceName: 'orders' })).toThrow(ConfigurationError);
    } finally {
      process.env.POWERTOOLS_METRICS_NAMESPACE = namespace;
    }
  });
});
