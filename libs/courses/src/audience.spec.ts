import { AreaScope } from '@jiaxiao/common';
import { Audience } from '@jiaxiao/db';
import { audienceIncludes, audienceWithin } from './audience';

const child = { studentId: 's1', classId: 'c1', grade: 7, schoolId: 'school-a', districtId: 'district-x' };
const area = (partial: Partial<AreaScope>): AreaScope => ({ city: false, districtIds: [], schoolIds: [], classIds: [], ...partial });
/** school-a and school-b are in district-x, school-c in district-y. */
const districtOf = (schoolId: string) => ({ 'school-a': 'district-x', 'school-b': 'district-x', 'school-c': 'district-y' })[schoolId];

describe('audienceIncludes: whether a lecture is for a household', () => {
  const cases: [Audience, boolean][] = [
    [{ scope: 'city' }, true],
    [{ scope: 'district', districtId: 'district-x' }, true],
    [{ scope: 'district', districtId: 'district-y' }, false],
    [{ scope: 'school', schoolId: 'school-a' }, true],
    [{ scope: 'school', schoolId: 'school-b' }, false],
    [{ scope: 'grades', schoolId: 'school-a', grades: [7, 8] }, true],
    [{ scope: 'grades', schoolId: 'school-a', grades: [8, 9] }, false],
    // The same grade at another school is another audience.
    [{ scope: 'grades', schoolId: 'school-b', grades: [7] }, false],
    [{ scope: 'classes', schoolId: 'school-a', classIds: ['c0', 'c1'] }, true],
    [{ scope: 'classes', schoolId: 'school-a', classIds: ['c2'] }, false],
    // Committee chairs' training is not open to parents as such.
    [{ scope: 'committee_chairs', schoolId: 'school-a' }, false],
    [{ scope: 'committee_chairs' }, false],
  ];
  it.each(cases)('%j → %s', (audience, expected) => {
    expect(audienceIncludes(audience, child)).toBe(expected);
  });
});

describe('audienceWithin: whether staff may organise a lecture for an audience', () => {
  it('lets city staff organise anything', () => {
    const city = area({ city: true });
    for (const audience of [
      { scope: 'city' },
      { scope: 'district', districtId: 'district-y' },
      { scope: 'school', schoolId: 'school-c' },
    ] as Audience[]) {
      expect(audienceWithin(audience, city, districtOf)).toBe(true);
    }
  });

  it('keeps a district bureau to its district and the schools in it', () => {
    const district = area({ districtIds: ['district-x'] });
    expect(audienceWithin({ scope: 'city' }, district, districtOf)).toBe(false);
    expect(audienceWithin({ scope: 'district', districtId: 'district-x' }, district, districtOf)).toBe(true);
    expect(audienceWithin({ scope: 'district', districtId: 'district-y' }, district, districtOf)).toBe(false);
    expect(audienceWithin({ scope: 'school', schoolId: 'school-b' }, district, districtOf)).toBe(true);
    expect(audienceWithin({ scope: 'grades', schoolId: 'school-a', grades: [7] }, district, districtOf)).toBe(true);
    expect(audienceWithin({ scope: 'classes', schoolId: 'school-c', classIds: ['c9'] }, district, districtOf)).toBe(false);
    expect(audienceWithin({ scope: 'committee_chairs', districtId: 'district-x' }, district, districtOf)).toBe(true);
    expect(audienceWithin({ scope: 'committee_chairs', schoolId: 'school-a' }, district, districtOf)).toBe(true);
    expect(audienceWithin({ scope: 'committee_chairs', districtId: 'district-y' }, district, districtOf)).toBe(false);
  });

  it('keeps a coordinator to their school', () => {
    const coordinator = area({ schoolIds: ['school-a'] });
    expect(audienceWithin({ scope: 'school', schoolId: 'school-a' }, coordinator, districtOf)).toBe(true);
    expect(audienceWithin({ scope: 'classes', schoolId: 'school-a', classIds: ['c1'] }, coordinator, districtOf)).toBe(true);
    expect(audienceWithin({ scope: 'school', schoolId: 'school-b' }, coordinator, districtOf)).toBe(false);
    expect(audienceWithin({ scope: 'district', districtId: 'district-x' }, coordinator, districtOf)).toBe(false);
    expect(audienceWithin({ scope: 'city' }, coordinator, districtOf)).toBe(false);
    expect(audienceWithin({ scope: 'committee_chairs', schoolId: 'school-a' }, coordinator, districtOf)).toBe(true);
    expect(audienceWithin({ scope: 'committee_chairs' }, coordinator, districtOf)).toBe(false);
  });

  it('gives a class teacher no audience of their own', () => {
    const teacher = area({ classIds: ['c1'] });
    expect(audienceWithin({ scope: 'classes', schoolId: 'school-a', classIds: ['c1'] }, teacher, districtOf)).toBe(false);
  });
});
