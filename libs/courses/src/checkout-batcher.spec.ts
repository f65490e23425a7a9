import type { AttendanceRepository, CreditedCheckOut } from './attendance.repository';
import { CheckOutBatcher } from './checkout-batcher';

const input = (userId: string): CreditedCheckOut => ({
  lectureId: 'lecture',
  userId,
  at: new Date('2026-12-05T08:00:00Z'),
  device: 'device',
  creditedUntil: new Date('2026-12-05T06:15:00Z'),
  schoolYearId: 'year',
  hours: 2,
  forHouseholds: true,
});

describe('CheckOutBatcher', () => {
  it('writes the check-outs that arrive together in one statement, each answered in its place', async () => {
    const batches: string[][] = [];
    const repository = {
      checkOutCredited: async (inputs: CreditedCheckOut[]) => {
        batches.push(inputs.map((i) => i.userId));
        return inputs.map((i) => (i.userId === 'b' ? undefined : { checkedInAt: new Date(0), credited: true }));
      },
    } as unknown as AttendanceRepository;
    const batcher = new CheckOutBatcher(repository);
    const answers = await Promise.all(['a', 'b', 'c'].map((u) => batcher.checkOut(input(u))));
    expect(batches).toEqual([['a', 'b', 'c']]);
    expect(answers.map((a) => a?.credited)).toEqual([true, undefined, true]);
  });

  it('when the batch statement fails, writes each on its own so only the one at fault fails', async () => {
    const batches: string[][] = [];
    const repository = {
      checkOutCredited: async (inputs: CreditedCheckOut[]) => {
        batches.push(inputs.map((i) => i.userId));
        if (inputs.length > 1 || inputs[0].userId === 'b') throw new Error('deadlock detected');
        return [{ checkedInAt: new Date(0), credited: true }];
      },
    } as unknown as AttendanceRepository;
    const batcher = new CheckOutBatcher(repository);
    const answers = await Promise.allSettled(['a', 'b', 'c'].map((u) => batcher.checkOut(input(u))));
    expect(batches).toEqual([['a', 'b', 'c'], ['a'], ['b'], ['c']]);
    expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('never puts one guardian’s two scans of a lecture in one batch', async () => {
    const batches: string[][] = [];
    const repository = {
      checkOutCredited: async (inputs: CreditedCheckOut[]) => {
        batches.push(inputs.map((i) => i.userId));
        return inputs.map(() => undefined);
      },
    } as unknown as AttendanceRepository;
    const batcher = new CheckOutBatcher(repository);
    await Promise.all(['a', 'a', 'b'].map((u) => batcher.checkOut(input(u))));
    expect(batches).toEqual([['a', 'b'], ['a']]);
  });
});
