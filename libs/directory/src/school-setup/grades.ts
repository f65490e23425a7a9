import type { SchoolType } from '@jiaxiao/db';

/** How schools write each grade at the start of a class name: 初一 (short, from 7), 七年级 (word), 7年级 (digit). */
type Style = 'short' | 'word' | 'digit';
const LABELS: Record<number, Partial<Record<Style, string>>> = Object.fromEntries(
  ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'].map((word, i) => [
    i + 1,
    { word: `${word}年级`, digit: `${i + 1}年级`, ...(i >= 6 ? { short: ['初一', '初二', '初三', '高一', '高二', '高三'][i - 6] } : {}) },
  ]),
);

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

function prefixOf(name: string): { grade: number; style: Style; label: string } | undefined {
  let best: { grade: number; style: Style; label: string } | undefined;
  for (const [grade, labels] of Object.entries(LABELS)) {
    for (const [style, label] of Object.entries(labels) as [Style, string][]) {
      if (name.startsWith(label) && (!best || label.length > best.label.length)) best = { grade: Number(grade), style, label };
    }
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
  return `${next[prefix.style] ?? next.word}${name.slice(prefix.label.length)}`;
}
