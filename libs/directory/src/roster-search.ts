import type { RosterQueryDto, StudentDto } from './dto/directory.dto';

/**
 * A class roster (as read: by the student's name) searched by student, guardian or phone as shown,
 * filtered by a guardian's account status, and sorted.
 */
export function searchRoster(byName: StudentDto[], query: RosterQueryDto): StudentDto[] {
  const q = query.q?.trim();
  const matching = byName.filter(
    (s) =>
      (!q || s.name.includes(q) || s.guardians.some((g) => g.name.includes(q) || g.phone.includes(q))) &&
      (!query.guardianStatus || s.guardians.some((g) => g.status === query.guardianStatus)),
  );
  const sort = query.sort ?? 'name';
  const rank = new Map(matching.map((s, i) => [s.id, i]));
  const nameOrder = (a: StudentDto, b: StudentDto) => (rank.get(a.id) ?? 0) - (rank.get(b.id) ?? 0);
  const compare = sort.endsWith('guardians')
    ? (a: StudentDto, b: StudentDto) => a.guardians.length - b.guardians.length || nameOrder(a, b)
    : nameOrder;
  const sign = sort.startsWith('-') ? -1 : 1;
  return [...matching].sort((a, b) => sign * compare(a, b));
}
