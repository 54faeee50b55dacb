import { logger } from '../../shared/logger';
import { metrics } from '../../shared/metrics';
import type { CircuitBreaker, CircuitStateChange } from '../domain/circuit-breaker';

/** The metric counting state changes of the breaker in front of inventory; dimension `State` is the new state. */
export const BREAKER_STATE_CHANGE_METRIC = 'InventoryCircuitBreakerStateChange';

/**
 * Make every state change of `breaker` visible: a warning log `circuit breaker state changed` with `from`/`to`,
 * and one `InventoryCircuitBreakerStateChange` count (dimensions `service`, `State`) published at once as EMF.
 */
export function reportStateChanges(breaker: CircuitBreaker): void {
  breaker.onStateChange(({ from, to }: CircuitStateChange) => {
    logger.warn('circuit breaker state changed', { dependency: 'inventory', from, to });
    metrics.publish(BREAKER_STATE_CHANGE_METRIC, 'Count', 1, { State: to });
  });
}
