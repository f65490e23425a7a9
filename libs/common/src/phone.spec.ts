import fc from 'fast-check';
import { MAINLAND_MOBILE, maskPhone, normalizePhone } from './phone';

/** Any valid mainland mobile number: 1, then 3–9, then nine digits. */
const mobile = fc
  .tuple(fc.integer({ min: 3, max: 9 }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 }))
  .map(([second, rest]) => `1${second}${rest.join('')}`);

describe('phone numbers', () => {
  it('normalizePhone accepts the ways people type a number', () => {
    for (const typed of [
      '13800000001',
      '138 0000 0001',
      '138-0000-0001',
      ' 138 0000-0001 ',
      '+8613800000001',
      '+86 138 0000 0001',
      '86-138-0000-0001',
      '8613800000001',
    ]) {
      expect(normalizePhone(typed)).toBe('13800000001');
    }
  });

  it('normalizePhone refuses what is not a mainland mobile number', () => {
    for (const typed of [
      '',
      '12',
      '1380000000',
      '138000000012',
      '12800000001',
      '23800000001',
      '138O0000001',
      '+1 13800000001',
      '0086 138 0000 0001',
      '138.0000.0001',
      '+86',
    ]) {
      expect({ typed, normalized: normalizePhone(typed) }).toEqual({ typed, normalized: null });
    }
  });

  it('maskPhone keeps the first three and last four digits', () => {
    expect(maskPhone('13800000001')).toBe('138****0001');
    expect(maskPhone('13912345678')).toBe('139****5678');
    expect(maskPhone('123')).toBe('****');
  });

  it('any valid number, however it is spaced or prefixed, normalizes back to itself', () => {
    const separator = fc.constantFrom('', ' ', '-', '  ', ' - ');
    const prefix = fc.constantFrom('', '+86', '86', '+86 ', '86-');
    fc.assert(
      fc.property(mobile, fc.array(separator, { minLength: 11, maxLength: 11 }), prefix, (number, gaps, before) => {
        const typed = before + [...number].map((digit, i) => digit + gaps[i]).join('');
        expect(normalizePhone(typed)).toBe(number);
      }),
    );
  });

  it('a mask never shows the middle four digits and always has the same shape', () => {
    fc.assert(
      fc.property(mobile, (number) => {
        expect(MAINLAND_MOBILE.test(number)).toBe(true);
        const masked = maskPhone(number);
        expect(masked).toMatch(/^1[3-9]\d\*{4}\d{4}$/);
        expect(masked.slice(0, 3) + number.slice(3, 7) + masked.slice(7)).toBe(number);
      }),
    );
  });
});
