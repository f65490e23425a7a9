import type { SchoolType } from '@jiaxiao/db';

/** How schools write each grade at the start of a class name; the first is what a rollover writes. */
const LABELS: Record<number, string[]> = {
  1: ['一年级', '1年级'],
  2: ['二年级', '2年级'],
  3: ['三年级', '3年级'],
  4: ['四年级', '4年级'],
  5: ['五年级', '5年级'],
  6: ['六年级', '6年级'],
  7: ['初一', '七年级', '7年级'],
  8: ['初二', '八年级', '8年级'],
  9: ['初三', '九年级', '9年级'],
  10: ['高一', '十年级', '10年级'],
  11: ['高二', '十一年级', '11年级'],
  12: ['高三', '十二年级', '12年级'],
};

/** The last grade of each kind of school: its classes graduate at the rollover. */
export const TOP_GRADE: Record<SchoolType, number> = {
  kindergarten: 3,
  primary: 6,
  junior: 9,
  senior: 12,
  vocational: 12,
  nine_year: 9,
  twelve_year: 12,
};

function prefixOf(name: string): { grade: number; index: number; label: string } | undefined {
  let best: { grade: number; index: number; label: string } | undefined;
  for (const [grade, labels] of Object.entries(LABELS)) {
    labels.forEach((label, index) => {
      if (name.startsWith(label) && (!best || label.length > best.label.length)) best = { grade: Number(grade), index, label };
    });
  }
  return best;
}

/** The grade a class name starts with (初一(1)班 → 7, 三年级2班 → 3), if any. */
export function gradeOfClassName(name: string): number | undefined {
  return prefixOf(name)?.grade;
}

/** The class's name a grade up, in the same style (初一(1)班 → 初二(1)班, 七年级3班 → 八年级3班); unchanged when its grade is not written. */
export function promotedName(name: string, grade: number): string {
  const prefix = prefixOf(name);
  const next = LABELS[grade + 1];
  if (!prefix || prefix.grade !== grade || !next) return name;
  return `${next[Math.min(prefix.index, next.length - 1)]}${name.slice(prefix.label.length)}`;
}
