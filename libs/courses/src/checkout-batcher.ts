import { Injectable } from '@nestjs/common';
import { BatchOutcome, Coalescer, eachIfBatchFails } from '@jiaxiao/platform';
import { AttendanceRepository, CreditedCheckOut } from './attendance.repository';

type CheckedOut = { checkedInAt: Date; credited: boolean } | undefined;

/** Check-outs per statement at most. */
const BATCH = 200;
/**
 * One batch in flight: the check-outs that arrive while it commits make the next one. With two, a
 * hall's burst went out as hundreds of batches of two or three (each a statement, a commit and a
 * socket write that cost about as much as a batch of thirty) and took longer in all.
 */
const IN_FLIGHT = 1;

/**
 * Group commit for the check-outs that earn credit: those of every request on this process share
 * one statement per batch (AttendanceRepository.checkOutCredited), so a hall of parents scanning
 * at the end of a lecture costs a round trip and a commit (one WAL flush) per batch instead of per
 * parent. Each is answered only after the commit that holds it. A guardian's two scans of one
 * lecture never share a batch: the later one waits and then finds the attendance checked out.
 */
@Injectable()
export class CheckOutBatcher {
  private readonly writes = new Coalescer<CreditedCheckOut, CheckedOut>((inputs) => this.write(inputs), {
    max: BATCH,
    concurrency: IN_FLIGHT,
    claims: (input) => [`${input.lectureId}:${input.userId}`],
  });

  constructor(private readonly attendance: AttendanceRepository) {}

  checkOut(input: CreditedCheckOut): Promise<CheckedOut> {
    return this.writes.call(input);
  }

  /** One statement for the batch; if it fails (say a deadlock with another writer), each check-out on its own, so only the one at fault fails. */
  private write(inputs: CreditedCheckOut[]): Promise<BatchOutcome<CheckedOut>[]> {
    return eachIfBatchFails(inputs, (batch) => this.attendance.checkOutCredited(batch));
  }
}
