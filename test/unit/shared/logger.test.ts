import '../support/quiet-env';
import { ConfigurationError } from '../../../lambdas/shared/errors';
import { StructuredLogger } from '../../../lambdas/shared/logger';
import { lambdaContext } from '../factories/api-gateway-event';

function capture(logLevel = 'DEBUG') {
  const lines: Record<string, unknown>[] = [];
  const logger = new StructuredLogger({ serviceName: 'orders', logLevel, write: (line) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('StructuredLogger', () => {
  it('writes one JSON record with the Powertools keys and the extra attributes', () => {
    // Prepare
    const { logger, lines } = capture();

    // Act
    logger.warn('circuit breaker state changed', { from: 'CLOSED', to: 'OPEN' });

    // Assess
    expect(lines).toEqual([
      expect.objectContaining({ level: 'WARN', message: 'circuit breaker state changed', service: 'orders', from: 'CLOSED', to: 'OPEN' }),
    ]);
    expect(Date.parse(String(lines[0]?.timestamp))).not.toBeNaN();
  });

  it('adds the Lambda context, with cold_start true only on the first invocation', () => {
    const { logger, lines } = capture();

    logger.addContext(lambdaContext());
    logger.info('first');
    logger.addContext(lambdaContext());
    logger.info('second');

    expect(lines.map((line) => line.cold_start)).toEqual([true, false]);
    expect(lines[0]).toMatchObject({ function_name: 'unit-test-function', function_request_id: 'd00dfeed-0000-4000-8000-000000000002' });
  });

  it('adds appended keys to every record that follows', () => {
    const { logger, lines } = capture();

    logger.appendKeys({ correlationId: 'corr-1' });
    logger.info('first');
    logger.info('second', { orderId: 'o-1' });

    expect(lines).toEqual([
      expect.objectContaining({ message: 'first', correlationId: 'corr-1' }),
      expect.objectContaining({ message: 'second', correlationId: 'corr-1', orderId: 'o-1' }),
    ]);
  });

  it('drops the keys appended in a scope when the scope ends, and keeps the outer ones', async () => {
    // Prepare
    const { logger, lines } = capture();
    logger.appendKeys({ service_stage: 'outer' });

    // Act
    await logger.withScope(async () => {
      logger.appendKeys({ correlationId: 'corr-1' });
      logger.info('inside');
    });
    logger.info('after');

    // Assess
    expect(lines[0]).toMatchObject({ service_stage: 'outer', correlationId: 'corr-1' });
    expect(lines[1]).toMatchObject({ service_stage: 'outer' });
    expect(lines[1]).not.toHaveProperty('correlationId');
  });

  it('drops the keys of a scope that throws, and passes the error on', async () => {
    const { logger, lines } = capture();

    const scope = logger.withScope(async () => {
      logger.appendKeys({ correlationId: 'corr-1' });
      throw new Error('boom');
    });

    await expect(scope).rejects.toThrow('boom');
    logger.info('after');
    expect(lines[0]).not.toHaveProperty('correlationId');
  });

  it('logs an error with its name, message, stack and cause', () => {
    const { logger, lines } = capture();

    logger.error('unhandled error', new Error('boom', { cause: new TypeError('root') }));

    expect(lines[0]?.error).toMatchObject({
      name: 'Error',
      message: 'boom',
      stack: expect.stringContaining('boom'),
      cause: { name: 'TypeError', message: 'root' },
    });
  });

  it('drops records below its level', () => {
    const { logger, lines } = capture('WARN');

    logger.debug('noise');
    logger.info('noise');
    logger.error('kept');

    expect(lines.map((line) => line.message)).toEqual(['kept']);
  });

  it('writes nothing when SILENT', () => {
    const { logger, lines } = capture('SILENT');

    logger.error('quiet');

    expect(lines).toEqual([]);
  });

  it('fails loudly when POWERTOOLS_SERVICE_NAME is missing and no service name is given', () => {
    const serviceName = process.env.POWERTOOLS_SERVICE_NAME;
    delete process.env.POWERTOOLS_SERVICE_NAME;
    try {
      expect(() => new StructuredLogger({ write: () => undefined })).toThrow(ConfigurationError);
    } finally {
      process.env.POWERTOOLS_SERVICE_NAME = serviceName;
    }
  });
});
