import * as z from 'zod/mini';
import { ValidationError } from '../../../lambdas/shared/errors';
import { fieldErrors, fieldName, parseInput } from '../../../lambdas/shared/validation';

const schema = z.strictObject({
  customerId: z.string().check(z.minLength(1), z.maxLength(4)),
  lines: z
    .array(z.strictObject({ sku: z.string().check(z.regex(/^S/, 'must start with S')), quantity: z.int().check(z.minimum(1), z.maximum(10)) }))
    .check(z.minLength(1)),
});

function errorsFor(input: unknown) {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) throw new Error('expected the input to be rejected');
  return fieldErrors(result.error.issues, 'body');
}

describe('fieldName', () => {
  it('writes array indexes in brackets and properties with dots', () => {
    expect(fieldName(['lines', 0, 'quantity'], 'body')).toBe('lines[0].quantity');
  });

  it('names the root when the path is empty', () => {
    expect(fieldName([], 'body')).toBe('body');
  });
});

describe('fieldErrors', () => {
  it('names each unknown key itself, nested ones with their path', () => {
    // Act
    const errors = errorsFor({ customerId: 'c', coupon: 'FREE', lines: [{ sku: 'S1', quantity: 1, colour: 'red' }] });

    // Assess
    expect(errors).toEqual(
      expect.arrayContaining([
        { field: 'coupon', message: 'is not a known field' },
        { field: 'lines[0].colour', message: 'is not a known field' },
      ]),
    );
  });

  it('says a missing field is required and a wrong type what it must be', () => {
    const errors = errorsFor({ lines: [{ sku: 7, quantity: 1.5 }] });

    expect(errors).toEqual(
      expect.arrayContaining([
        { field: 'customerId', message: 'is required' },
        { field: 'lines[0].sku', message: 'must be a string' },
        { field: 'lines[0].quantity', message: 'must be an integer' },
      ]),
    );
  });

  it('states bounds for numbers, strings and arrays', () => {
    expect(errorsFor({ customerId: '', lines: [] })).toEqual(
      expect.arrayContaining([
        { field: 'customerId', message: 'must be at least 1 characters long' },
        { field: 'lines', message: 'must have at least 1 items' },
      ]),
    );
    expect(errorsFor({ customerId: 'c', lines: [{ sku: 'S1', quantity: 11 }] })).toEqual([
      { field: 'lines[0].quantity', message: 'must be at most 10' },
    ]);
  });

  it("uses the schema's own message for a format", () => {
    expect(errorsFor({ customerId: 'c', lines: [{ sku: 'X1', quantity: 1 }] })).toEqual([
      { field: 'lines[0].sku', message: 'must start with S' },
    ]);
  });

  it('names the root when the input is not an object at all', () => {
    expect(errorsFor('just a string')).toEqual([{ field: 'body', message: 'must be an object' }]);
  });
});

describe('parseInput', () => {
  it('returns the parsed value when the input is valid', () => {
    const input = { customerId: 'c', lines: [{ sku: 'S1', quantity: 2 }] };

    expect(parseInput(schema, input, 'body')).toEqual(input);
  });

  it('throws a ValidationError naming every offending field', () => {
    // Act
    let thrown: unknown;
    try {
      parseInput(schema, { customerId: 42, lines: [{ sku: 'S1', quantity: 0 }] }, 'body');
    } catch (error) {
      thrown = error;
    }

    // Assess
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).errors?.map((e) => e.field)).toEqual(['customerId', 'lines[0].quantity']);
  });
});
