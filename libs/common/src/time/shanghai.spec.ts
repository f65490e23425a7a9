import fc from 'fast-check';
import { formatShanghai, fromShanghai, isoShanghai, SCHOOL_YEAR_PATTERN, schoolYearBounds, schoolYearOf, shanghaiParts } from './shanghai';

describe('Shanghai time', () => {
  describe('schoolYearOf', () => {
    it('turns over at midnight of 1 September in Shanghai, which is 16:00 UTC on 31 August', () => {
      expect(schoolYearOf(new Date('2026-08-31T15:59:59.999Z'))).toBe('2025-2026');
      expect(schoolYearOf(new Date('2026-08-31T16:00:00.000Z'))).toBe('2026-2027');
      // Still 31 August in UTC, already 1 September 00:30 in Shanghai.
      expect(schoolYearOf(new Date('2026-08-31T16:30:00Z'))).toBe('2026-2027');
    });

    it('keeps a school year through New Year and the summer', () => {
      expect(schoolYearOf(new Date('2026-12-31T16:30:00Z'))).toBe('2026-2027'); // 1 January 2027 in Shanghai
      expect(schoolYearOf(new Date('2027-07-15T04:00:00Z'))).toBe('2026-2027');
      expect(schoolYearOf(new Date('2027-08-31T15:59:00Z'))).toBe('2026-2027');
    });

    it('always names a year whose bounds hold the instant', () => {
      fc.assert(
        fc.property(
          fc.date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2090-12-31T00:00:00Z'), noInvalidDate: true }),
          (instant) => {
            const name = schoolYearOf(instant);
            const { startsAt, endsAt } = schoolYearBounds(name);
            expect(startsAt.getTime()).toBeLessThanOrEqual(instant.getTime());
            expect(instant.getTime()).toBeLessThan(endsAt.getTime());
          },
        ),
      );
    });
  });

  describe('schoolYearBounds', () => {
    it('runs from 1 September to 31 August, the instants at Shanghai midnight', () => {
      expect(schoolYearBounds('2026-2027')).toEqual({
        startsOn: '2026-09-01',
        endsOn: '2027-08-31',
        startsAt: new Date('2026-08-31T16:00:00Z'),
        endsAt: new Date('2027-08-31T16:00:00Z'),
      });
    });

    it('refuses names that are not consecutive years or not plausible ones', () => {
      for (const name of [
        '2026-2028',
        '2027-2026',
        '2026',
        '2026/2027',
        ' 2026-2027',
        'abcd-efgh',
        '0000-0001',
        '0099-0100',
        '2099-2100',
      ]) {
        expect(() => schoolYearBounds(name)).toThrow(RangeError);
      }
      expect(SCHOOL_YEAR_PATTERN.test('1999-2000')).toBe(true);
      expect(SCHOOL_YEAR_PATTERN.test('0000-0001')).toBe(false);
    });
  });

  describe('isoShanghai and formatShanghai', () => {
    it('write the wall-clock time with the +08:00 offset, to the second', () => {
      expect(isoShanghai(new Date('2026-11-29T02:30:15.789Z'))).toBe('2026-11-29T10:30:15+08:00');
      expect(isoShanghai(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01T00:00:00+08:00');
      expect(formatShanghai(new Date('2026-11-29T02:05:00Z'))).toBe('2026-11-29 10:05');
      expect(formatShanghai(new Date('2026-11-29T17:05:00Z'), false)).toBe('2026-11-30');
    });

    it('isoShanghai names the same instant', () => {
      fc.assert(
        fc.property(
          fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }),
          (instant) => {
            const whole = Math.floor(instant.getTime() / 1000) * 1000;
            expect(new Date(isoShanghai(instant)).getTime()).toBe(whole);
          },
        ),
      );
    });
  });

  it('fromShanghai and shanghaiParts are inverse, weekday included', () => {
    const instant = fromShanghai(2026, 9, 1, 7, 45);
    expect(instant.toISOString()).toBe('2026-08-31T23:45:00.000Z');
    expect(shanghaiParts(instant)).toEqual({ year: 2026, month: 9, day: 1, hour: 7, minute: 45, weekday: 2 });
    expect(shanghaiParts(fromShanghai(2026, 11, 29)).weekday).toBe(7); // a Sunday
  });
});
