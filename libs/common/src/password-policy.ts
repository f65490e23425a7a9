import { ValidateBy, ValidationOptions } from 'class-validator';

/** The password policy: 8 to 128 characters, with at least one letter and one digit. */
export function isStrongPassword(value: unknown): boolean {
  return typeof value === 'string' && value.length >= 8 && value.length <= 128 && /\p{L}/u.test(value) && /\d/.test(value);
}

/** DTO decorator for a new password (error key `isStrongPassword`, explained in the validation messages). */
export function IsStrongPassword(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isStrongPassword',
      validator: {
        validate: isStrongPassword,
        defaultMessage: () => '$property must be at least 8 characters and contain letters and digits',
      },
    },
    options,
  );
}
