import { ValidateBy, ValidationOptions } from 'class-validator';

/** Mainland China mobile numbers: 11 digits starting 13–19. */
export const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;

/** Accepts common ways people type a number (spaces, dashes, +86) and returns the 11 digits, or null. */
export function normalizePhone(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '');
  return MAINLAND_MOBILE.test(digits) ? digits : null;
}

/** `13800000001` → `138****0001` */
export function maskPhone(phone: string): string {
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : '****';
}

/** DTO decorator: an 11-digit mainland mobile number (error key `isMobilePhone`). */
export function IsMainlandMobile(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isMobilePhone',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && MAINLAND_MOBILE.test(value),
        defaultMessage: () => '$property must be a mainland China mobile number',
      },
    },
    options,
  );
}
