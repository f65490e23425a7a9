import { Injectable } from '@nestjs/common';
import { isoShanghai, maskPhone } from '@jiaxiao/common';
import { AttendanceReportRepository, AttendanceReportRow } from './attendance-report.repository';
import { AttendanceService } from './attendance.service';
import { AttendanceAnomalyDto, AttendanceReportDto } from './dto/attendance-report.dto';
import { LectureService } from './lecture.service';

/** Scans no more than this many seconds after the previous one continue a series… */
export const RAPID_SERIES_GAP_SECONDS = 5;
/** …and a series this long is flagged (a crowd at the door rarely keeps such a pace). */
export const RAPID_SERIES_LENGTH = 4;

type Scan = { userId: string; at: Date; device: string | null };

/**
 * The per-lecture attendance report for staff: who checked in and out, who was credited and
 * why not, and the patterns that suggest one person scanning for others — one device used for
 * guardians of different households, or scans seconds apart in a row. Flags ask for a look;
 * they change no credit.
 */
@Injectable()
export class AttendanceReportService {
  constructor(
    private readonly repository: AttendanceReportRepository,
    private readonly lectures: LectureService,
    private readonly attendance: AttendanceService,
  ) {}

  async report(lectureId: string): Promise<AttendanceReportDto> {
    const lecture = await this.lectures.mustGet(lectureId);
    const rule = this.attendance.ruleOf(lecture);
    const [rows, credited] = await Promise.all([this.repository.scans(lecture.id), this.repository.creditedHours(lecture.id)]);
    const households = await this.repository.householdsOf(rows.map((r) => r.userId));
    const checkIns = scansOf(rows, 'in');
    const checkOuts = scansOf(rows, 'out');
    const anomalies = [
      ...sharedDevices(checkIns, households, 'check_in'),
      ...sharedDevices(checkOuts, households, 'check_out'),
      ...rapidSeries(checkIns, 'check_in'),
      ...rapidSeries(checkOuts, 'check_out'),
    ];
    const flags = new Map<string, Set<string>>();
    for (const anomaly of anomalies) {
      for (const userId of anomaly.userIds) flags.set(userId, (flags.get(userId) ?? new Set()).add(anomaly.kind));
    }
    const session = { start: lecture.startsAt.getTime(), end: lecture.endsAt.getTime() };
    return {
      lectureId: lecture.id,
      title: lecture.title,
      startsAt: isoShanghai(lecture.startsAt),
      endsAt: isoShanghai(lecture.endsAt),
      rule,
      totals: {
        checkedIn: rows.filter((r) => r.checkedInAt).length,
        checkedOut: rows.filter((r) => r.checkedOutAt).length,
        credited: [...credited.values()].filter((h) => h > 0).length,
        noCredit: rows.filter((r) => r.noCredit).length,
        flagged: flags.size,
      },
      rows: rows.map((r) => ({
        userId: r.userId,
        name: r.name,
        phone: maskPhone(r.phone),
        checkedInAt: r.checkedInAt ? isoShanghai(r.checkedInAt) : null,
        checkedOutAt: r.checkedOutAt ? isoShanghai(r.checkedOutAt) : null,
        presentMinutes:
          r.checkedInAt && r.checkedOutAt
            ? Math.max(
                0,
                Math.floor((Math.min(r.checkedOutAt.getTime(), session.end) - Math.max(r.checkedInAt.getTime(), session.start)) / 60_000),
              )
            : null,
        creditedHours: credited.get(r.userId) ?? 0,
        noCreditReason: r.noCredit?.code ?? null,
        flags: [...(flags.get(r.userId) ?? [])].sort(),
      })),
      anomalies,
    };
  }
}

function scansOf(rows: AttendanceReportRow[], which: 'in' | 'out'): Scan[] {
  const scans: Scan[] = [];
  for (const r of rows) {
    const at = which === 'in' ? r.checkedInAt : r.checkedOutAt;
    if (at) scans.push({ userId: r.userId, at, device: which === 'in' ? r.checkinDevice : r.checkoutDevice });
  }
  return scans.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** A device used for guardians who share no child: two parents of one family on one phone is normal, a phone for several families is not. */
function sharedDevices(scans: Scan[], households: Map<string, string[]>, scan: 'check_in' | 'check_out'): AttendanceAnomalyDto[] {
  const byDevice = new Map<string, Scan[]>();
  for (const s of scans) if (s.device) byDevice.set(s.device, [...(byDevice.get(s.device) ?? []), s]);
  const anomalies: AttendanceAnomalyDto[] = [];
  for (const [device, list] of byDevice) {
    const users = list.map((s) => s.userId);
    const unrelated = users.some((a, i) =>
      users.slice(i + 1).some((b) => !(households.get(a) ?? []).some((student) => (households.get(b) ?? []).includes(student))),
    );
    if (!unrelated) continue;
    anomalies.push({
      kind: 'shared_device',
      scan,
      device: device.slice(0, 8),
      userIds: users,
      from: isoShanghai(list[0].at),
      to: isoShanghai(list[list.length - 1].at),
    });
  }
  return anomalies;
}

function rapidSeries(scans: Scan[], scan: 'check_in' | 'check_out'): AttendanceAnomalyDto[] {
  const anomalies: AttendanceAnomalyDto[] = [];
  let run: Scan[] = [];
  const close = () => {
    if (run.length >= RAPID_SERIES_LENGTH) {
      anomalies.push({
        kind: 'rapid_series',
        scan,
        device: null,
        userIds: run.map((s) => s.userId),
        from: isoShanghai(run[0].at),
        to: isoShanghai(run[run.length - 1].at),
      });
    }
  };
  for (const s of scans) {
    const last = run[run.length - 1];
    if (last && s.at.getTime() - last.at.getTime() > RAPID_SERIES_GAP_SECONDS * 1000) {
      close();
      run = [];
    }
    run.push(s);
  }
  close();
  return anomalies;
}
