import { Injectable } from '@nestjs/common';
import { BatchOutcome, Coalescer, eachIfBatchFails } from '@jiaxiao/platform';
import { AttendanceRepository, CreditedCheckOut } from './attendance.repository';

type CheckedOut = { checkedInAt: Date; credited: boolean } | undefined;

/** Check-outs per statement at most. */
const BATCH = 200;
/** Batches in flight at once: while one commits, the next is written. */
const IN_FLIGHT = 2;
/** While one is in flight, how long the next waits to fill: a batch costs about the same for 3 check-outs as for 30. */
const LINGER_MS = 3;

/**
 * Group commit for the check-outs that earn credit: those of every request on this process share
 * one statement per batch (AttendanceRepository.checkOutCredited), so a hall of parents scanning
 * at the end of a lecture costs a round trip and a commit (one WAL flush) per batch instead of per
 * parent. Each is answered only after the commit that holds it. A guardian's two scans of one
 * lecture never share a batch nor two batches in flight: the later one waits and then finds the
 * attendance checked out.
 */
@Injectable()
export class CheckOutBatcher {
  private readonly writes = new Coalescer<CreditedCheckOut, CheckedOut>((inputs) => this.write(inputs), {
    max: BATCH,
    concurrency: IN_FLIGHT,
    lingerMs: LINGER_MS,
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
