import { ApiProperty } from '@nestjs/swagger';

export class PresenceRuleDto {
  @ApiProperty({ description: 'the latest check-in that earns credit, in minutes after the start' }) lateCheckinMinutes: number;
  @ApiProperty({ description: 'the share of the session, in %, between check-in and check-out' }) minPresencePercent: number;
}

export class AttendanceTotalsDto {
  @ApiProperty() checkedIn: number;
  @ApiProperty() checkedOut: number;
  @ApiProperty({ description: 'guardians credited for this lecture (any source, net of revocations)' }) credited: number;
  @ApiProperty({ description: 'check-outs recorded without credit' }) noCredit: number;
  @ApiProperty({ description: 'guardians in at least one anomaly' }) flagged: number;
}

export class AttendanceRowDto {
  @ApiProperty() userId: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: '139****0003' }) phone: string;
  @ApiProperty({ nullable: true, type: String }) checkedInAt: string | null;
  @ApiProperty({ nullable: true, type: String }) checkedOutAt: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'minutes of the session between check-in and check-out' }) presentMinutes:
    number | null;
  @ApiProperty() creditedHours: number;
  @ApiProperty({ nullable: true, type: String, example: 'ATTENDANCE_PRESENCE_TOO_SHORT' }) noCreditReason: string | null;
  @ApiProperty({ type: [String], enum: ['shared_device', 'rapid_series'] }) flags: string[];
}

export class AttendanceAnomalyDto {
  @ApiProperty({
    enum: ['shared_device', 'rapid_series'],
    description: 'shared_device: one device scanned for guardians of different households; rapid_series: scans seconds apart in a row',
  })
  kind: string;
  @ApiProperty({ enum: ['check_in', 'check_out'] }) scan: string;
  @ApiProperty({ nullable: true, type: String, description: 'a short, opaque name of the device (shared_device)' }) device: string | null;
  @ApiProperty({ type: [String] }) userIds: string[];
  @ApiProperty() from: string;
  @ApiProperty() to: string;
}

export class AttendanceReportDto {
  @ApiProperty() lectureId: string;
  @ApiProperty() title: string;
  @ApiProperty() startsAt: string;
  @ApiProperty() endsAt: string;
  @ApiProperty({ type: PresenceRuleDto }) rule: PresenceRuleDto;
  @ApiProperty({ type: AttendanceTotalsDto }) totals: AttendanceTotalsDto;
  @ApiProperty({ type: [AttendanceRowDto] }) rows: AttendanceRowDto[];
  @ApiProperty({ type: [AttendanceAnomalyDto] }) anomalies: AttendanceAnomalyDto[];
}
