import { ValidateBy, ValidationOptions } from 'class-validator';

/**
 * A finite number with at most `places` decimal places. class-validator's
 * `IsNumber({maxDecimalPlaces})` throws a TypeError on numbers JSON gives in exponent form
 * (1e-7, 5e+300): a 500 for bad input. This one only does arithmetic.
 */
export function IsDecimalNumber(places: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNumber',
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'number' || !Number.isFinite(value)) return false;
          const scaled = value * 10 ** places;
          return Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, Math.abs(scaled));
        },
      },
    },
    options,
  );
}
