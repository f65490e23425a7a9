import { createHash, randomBytes } from 'node:crypto';
import { ElectionResult } from '@jiaxiao/db';
import { ElectionResultDto, NominationDto } from './dto/election.dto';

/**
 * Ranks candidates and decides the winners of `seats`.
 *
 * Tie rule (documented in the README): when candidates tie for the last seat(s), those clearly
 * ahead win and the tied candidates go to a **run-off election** for the remaining seats, open
 * at once for as long as the first voting window. If a run-off ties again, the remaining seats
 * are settled **by lot**: a random seed is drawn and published in the result, and the tied
 * candidates are ordered by sha256(seed + ":" + userId) — anyone can recompute the draw.
 */
export function decide(
  candidates: string[],
  votes: Map<string, number>,
  seats: number,
  isRunoff: boolean,
  seed = randomBytes(16).toString('hex'),
): { ranked: { userId: string; votes: number }[]; winners: string[]; tied: string[]; remaining: number; lot?: ElectionResult['lot'] } {
  const ranked = candidates
    .map((userId) => ({ userId, votes: votes.get(userId) ?? 0 }))
    .sort((a, b) => b.votes - a.votes || a.userId.localeCompare(b.userId));
  if (ranked.length <= seats) return { ranked, winners: ranked.map((r) => r.userId), tied: [], remaining: 0 };
  const cutoff = ranked[seats - 1].votes;
  const ahead = ranked.filter((r) => r.votes > cutoff).map((r) => r.userId);
  const tied = ranked.filter((r) => r.votes === cutoff).map((r) => r.userId);
  const remaining = seats - ahead.length;
  if (tied.length === remaining) return { ranked, winners: [...ahead, ...tied], tied: [], remaining: 0 };
  if (!isRunoff) return { ranked, winners: ahead, tied, remaining };
  const order = (userId: string) => createHash('sha256').update(`${seed}:${userId}`).digest('hex');
  const drawn = [...tied].sort((a, b) => order(a).localeCompare(order(b))).slice(0, remaining);
  return { ranked, winners: [...ahead, ...drawn], tied: [], remaining: 0, lot: { seed, candidates: tied, drawn } };
}

/** A stored result with the candidates' names, as the election's readers see it. */
export function toResultDto(result: ElectionResult, names: Map<string, string>): ElectionResultDto {
  return {
    ballots: result.ballots,
    counts: result.counts.map((c) => ({ userId: c.userId, name: names.get(c.userId) ?? '', votes: c.votes })),
    winners: result.winners,
    ...(result.runoff ? { runoffElectionId: result.runoff.electionId } : {}),
    ...(result.lot ? { lotSeed: result.lot.seed } : {}),
  };
}

export function toNominationDto(row: { id: string; electionId: string; nomineeId: string; status: string }): NominationDto {
  return { id: row.id, electionId: row.electionId, nomineeId: row.nomineeId, status: row.status };
}

/** The keys of an election's opening notices and of a nomination's notice to its nominee, pushed after their events. */
export const openKey = (electionId: string) => `election-open:${electionId}`;
export const nominationKey = (nominationId: string) => `nomination:${nominationId}`;
