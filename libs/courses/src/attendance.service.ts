import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import QRCode from 'qrcode';
import { AppConfig, assertSpreadsheetUpload, DomainError, maskPhone, normalizePhone, Principal, renderMessage } from '@jiaxiao/common';
import { AuditService } from '@jiaxiao/platform';
import { checkToken, issueToken } from './checkin-token';
import { CoursesRepository, LectureRow } from './courses.repository';
import { HourLedgerRepository } from './hour-ledger.repository';
import { AttendanceRepository } from './attendance.repository';
import { CheckOutBatcher } from './checkout-batcher';
import { AttendanceListDto, AttendanceResultDto, CheckInCodeDto } from './dto/lecture.dto';
import { HourLedgerService } from './hour-ledger.service';
import { LectureService } from './lecture.service';
import { deviceKey, lateCheckin, latestCreditedCheckin, NoCredit, noCreditReason, PresenceRule } from './presence';

const MINUTE = 60_000;
/** Check-in opens 30 minutes before the start and closes at the end. */
export const CHECKIN_OPENS_BEFORE = 30 * MINUTE;
/** Check-out opens 10 minutes before the end and closes 30 minutes after it. */
export const CHECKOUT_OPENS_BEFORE_END = 10 * MINUTE;
export const CHECKOUT_CLOSES_AFTER_END = 30 * MINUTE;

/** Who is scanning: the device id the client sends, else its user agent and address stand in. */
export interface ScanClient {
  deviceId?: string;
  userAgent?: string;
  ip?: string;
}

export interface SheetRowResult {
  row: number;
  phone: string;
  status: 'credited' | 'already_credited' | 'error';
  message?: string;
}

/**
 * Offline attendance: the venue screen shows a QR code that rotates every 30 s; parents scan
 * it to check in and again to check out, and are credited at check-out when they were really
 * there (see presence.ts: on time, and present for most of the session). Coordinators record
 * attendance by hand (with a reason, audited) or from an XLSX sign-in sheet.
 */
@Injectable()
export class AttendanceService {
  constructor(
    private readonly repository: CoursesRepository,
    private readonly hourLedgerRepository: HourLedgerRepository,
    private readonly attendanceRepository: AttendanceRepository,
    private readonly checkOuts: CheckOutBatcher,
    private readonly lectures: LectureService,
    private readonly ledger: HourLedgerService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  /** The lecture's own presence rule, else the platform's. */
  ruleOf(lecture: LectureRow): PresenceRule {
    return {
      lateCheckinMinutes: lecture.lateCheckinMinutes ?? this.config.ATTENDANCE_LATE_CHECKIN_MINUTES,
      minPresencePercent: lecture.minPresencePercent ?? this.config.ATTENDANCE_MIN_PRESENCE_PERCENT,
    };
  }

  async checkInCode(lectureId: string, now = new Date()): Promise<CheckInCodeDto> {
    const lecture = await this.lectures.mustGet(lectureId);
    assertOffline(lecture);
    const { token, expiresAt } = issueToken(lecture.checkinSecret, lecture.id, now);
    // The phone's own scanner (or WeChat's) opens this link: the H5 check-in screen, same origin as parent-api.
    const url = `${this.config.PUBLIC_BASE_URL}/h5/lectures/${lecture.id}/check-in?token=${encodeURIComponent(token)}`;
    const qr = await QRCode.toDataURL(url, { errorCorrectionLevel: 'M', margin: 2, width: 480 });
    return { token, expiresAt: expiresAt.toISOString(), url, qr };
  }

  /** The lecture's attendance for its organisers: check-in/out times, credits and revocations. */
  async list(lectureId: string): Promise<AttendanceListDto> {
    const rows = await this.hourLedgerRepository.attendanceList(lectureId);
    const iso = (d: Date | null) => d?.toISOString() ?? null;
    return {
      items: rows.map((r) => ({
        ...r,
        phone: maskPhone(r.phone),
        checkedInAt: iso(r.checkedInAt),
        checkedOutAt: iso(r.checkedOutAt),
        revokedAt: iso(r.revokedAt),
      })),
    };
  }

  /**
   * A check-in is accepted until the end; one later than the lecture allows is recorded and told it
   * will earn no credit. `lecture`: the one the route's policy loaded and allowed.
   */
  async checkIn(
    principal: Principal,
    lecture: LectureRow,
    token: string,
    client: ScanClient = {},
    now = new Date(),
  ): Promise<AttendanceResultDto> {
    await this.assertUsable(principal, lecture, token, now);
    if (now.getTime() < lecture.startsAt.getTime() - CHECKIN_OPENS_BEFORE || now.getTime() > lecture.endsAt.getTime()) {
      throw new DomainError('CHECKIN_NOT_OPEN');
    }
    await this.attendanceRepository.checkIn(lecture.id, principal.userId, now, undefined, deviceKey(client));
    const record = await this.attendanceRepository.attendanceOf(lecture.id, principal.userId);
    const late =
      record?.checkedInAt && !record.checkedOutAt ? lateCheckin(this.ruleOf(lecture), lecture.startsAt, record.checkedInAt) : undefined;
    return this.result(lecture.id, record, 0, late);
  }

  /**
   * Check-out records the attendance and credits it when the presence rule holds; otherwise the
   * attendance stays recorded without credit, with the reason. The first check-out decides: a
   * later scan changes nothing. A check-out that earns credit is one statement, shared with the
   * concurrent ones (CheckOutBatcher): the check-out of a checked-in, not yet checked-out
   * attendance whose check-in is early enough, and its credit. Anything else is one short
   * transaction: the check-out, then its reason or credit.
   */
  async checkOut(
    principal: Principal,
    lecture: LectureRow,
    token: string,
    client: ScanClient = {},
    now = new Date(),
  ): Promise<AttendanceResultDto> {
    await this.assertUsable(principal, lecture, token, now);
    const end = lecture.endsAt.getTime();
    if (now.getTime() < end - CHECKOUT_OPENS_BEFORE_END || now.getTime() > end + CHECKOUT_CLOSES_AFTER_END) {
      throw new DomainError('CHECKOUT_NOT_OPEN');
    }
    const rule = this.ruleOf(lecture);
    const creditedUntil = latestCreditedCheckin(rule, lecture, now);
    if (creditedUntil) {
      const out = await this.checkOuts.checkOut({
        lectureId: lecture.id,
        userId: principal.userId,
        at: now,
        device: deviceKey(client),
        creditedUntil,
        schoolYearId: lecture.schoolYearId,
        hours: lecture.creditHours,
        forHouseholds: this.ledger.countsForHouseholds(lecture),
      });
      if (out) return this.result(lecture.id, { checkedInAt: out.checkedInAt, checkedOutAt: now }, out.credited ? lecture.creditHours : 0);
    }
    const { record, credited, refused } = await this.repository.transaction(async (tx) => {
      const out = await this.attendanceRepository.checkOut(lecture.id, principal.userId, now, deviceKey(client), tx);
      if (!out) {
        // Not checked in, or checked out before (perhaps by a concurrent scan): that decision stands.
        const before = await this.attendanceRepository.attendanceOf(lecture.id, principal.userId, tx);
        if (!before?.checkedInAt) throw new DomainError('NOT_CHECKED_IN');
        return { record: before, credited: 0, refused: before.noCredit as NoCredit | null };
      }
      const reason = noCreditReason(rule, lecture, out.checkedInAt!, out.checkedOutAt!);
      if (reason) {
        await this.attendanceRepository.setNoCredit(lecture.id, principal.userId, reason, tx);
        return { record: out, credited: 0, refused: reason };
      }
      return {
        record: out,
        credited: await this.ledger.credit({ guardianId: principal.userId, lecture, source: 'offline' }, tx),
        refused: null,
      };
    });
    return this.result(lecture.id, record, credited, refused ?? undefined);
  }

  /** For a parent without a smartphone: recorded by staff, with the reason, in the audit log. */
  async recordByHand(principal: Principal, lectureId: string, phone: string, reason: string): Promise<AttendanceResultDto> {
    const lecture = await this.lectures.mustGet(lectureId);
    const guardian = await this.repository.userByPhone(phone);
    if (!guardian) throw new DomainError('USER_NOT_FOUND');
    // Staff credit the families the lecture is for, not any phone number in the city.
    if (!(await this.lectures.inAudience(guardian.id, lecture))) throw new DomainError('GUARDIAN_NOT_IN_AUDIENCE');
    const credited = await this.manualCredit(principal, lecture, guardian.id, reason);
    return this.result(lecture.id, await this.attendanceRepository.attendanceOf(lecture.id, guardian.id), credited);
  }

  /** A paper sign-in sheet typed into Excel (rural tours): a 家长手机号 column, one row per guardian. */
  async importSheet(principal: Principal, lectureId: string, content: Buffer, reason: string): Promise<SheetRowResult[]> {
    const lecture = await this.lectures.mustGet(lectureId);
    assertSpreadsheetUpload(content, 'xlsx');
    const phones = await readPhones(content);
    const results: SheetRowResult[] = [];
    for (const { row, raw } of phones) {
      const phone = normalizePhone(raw);
      const guardian = phone ? await this.repository.userByPhone(phone) : undefined;
      if (!phone) results.push({ row, phone: raw, status: 'error', message: `手机号“${raw}”不是有效的中国大陆手机号` });
      else if (!guardian) results.push({ row, phone, status: 'error', message: '平台上没有这个手机号的家长' });
      else if (!(await this.lectures.inAudience(guardian.id, lecture)))
        results.push({ row, phone, status: 'error', message: '该家长的孩子不在本讲座面向的范围内' });
      else {
        const credited = await this.manualCredit(principal, lecture, guardian.id, reason);
        results.push({ row, phone, status: credited > 0 ? 'credited' : 'already_credited' });
      }
    }
    return results;
  }

  private async manualCredit(principal: Principal, lecture: LectureRow, guardianId: string, reason: string): Promise<number> {
    if (lecture.status !== 'published' && lecture.status !== 'finished') throw new DomainError('LECTURE_NOT_OPEN');
    return this.repository.transaction(async (tx) => {
      await this.attendanceRepository.checkIn(lecture.id, guardianId, lecture.startsAt, tx);
      const credited = await this.ledger.credit({ guardianId, lecture, source: 'manual', reason, recordedBy: principal.userId }, tx);
      if (credited > 0) {
        await this.audit.record(
          {
            actorId: principal.userId,
            action: 'attendance.recorded',
            targetType: 'user',
            targetId: guardianId,
            detail: { lectureId: lecture.id, reason, hours: credited },
          },
          tx,
        );
      }
      return credited;
    });
  }

  private async assertUsable(principal: Principal, lecture: LectureRow, token: string, now: Date): Promise<void> {
    assertOffline(lecture);
    if (lecture.status !== 'published') throw new DomainError('LECTURE_NOT_OPEN');
    await this.lectures.assertInAudience(principal, lecture);
    const check = checkToken(lecture.checkinSecret, lecture.id, token, now);
    if (check === 'expired') throw new DomainError('CHECKIN_TOKEN_EXPIRED');
    if (check === 'invalid') throw new DomainError('CHECKIN_TOKEN_INVALID');
  }

  private result(
    lectureId: string,
    record: { checkedInAt: Date | null; checkedOutAt: Date | null } | undefined,
    credited: number,
    reason?: NoCredit,
  ): AttendanceResultDto {
    return {
      lectureId,
      checkedInAt: record?.checkedInAt?.toISOString() ?? null,
      checkedOutAt: record?.checkedOutAt?.toISOString() ?? null,
      credited,
      noCreditReason: reason?.code ?? null,
      noCreditMessage: reason ? renderMessage(reason.code, 'zh', reason.params) : null,
    };
  }
}

function assertOffline(lecture: LectureRow): void {
  if (lecture.mode !== 'offline' && lecture.mode !== 'hybrid') throw new DomainError('NOT_AN_OFFLINE_LECTURE');
}

async function readPhones(content: Buffer): Promise<{ row: number; raw: string }[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(content as unknown as ArrayBuffer);
  } catch {
    throw new DomainError('FILE_UNREADABLE', { detail: '不是有效的 Excel 文件' });
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new DomainError('FILE_UNREADABLE', { detail: '工作簿里没有工作表' });
  const header = sheet.getRow(1);
  let column = 0;
  header.eachCell((cell, index) => {
    if (['家长手机号', '手机号', '手机号码', '联系电话', 'phone'].includes(String(cell.value ?? '').trim())) column = index;
  });
  if (!column) throw new DomainError('FILE_UNREADABLE', { detail: '第 1 行缺少表头：家长手机号' });
  const phones: { row: number; raw: string }[] = [];
  sheet.eachRow((row, index) => {
    if (index === 1) return;
    const value = row.getCell(column).value;
    const raw = typeof value === 'number' ? value.toFixed(0) : String(value ?? '').trim();
    if (raw) phones.push({ row: index, raw });
  });
  if (phones.length > 2000) throw new DomainError('FILE_UNREADABLE', { detail: '最多 2000 行' });
  return phones;
}
