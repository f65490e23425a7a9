import { integer, jsonb, pgTable, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { bytea, createdAt, id } from './columns';
import { classes, schools } from './directory';
import { users } from './identity';

export const IMPORT_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export interface ImportRowError {
  /** 1-based spreadsheet row, header included, as the user sees it in Excel */
  row: number;
  field: string | null;
  message: string;
}

export interface ImportStats {
  studentsCreated: number;
  guardiansCreated: number;
  guardianshipsCreated: number;
  unchanged: number;
  /** a whole-school sheet: classes it created */
  classesCreated?: number;
}

/** A roster upload: of one class, or of a whole school (with a 班级 column). The file lives here so any worker node can process it. */
export const rosterImports = pgTable('roster_imports', {
  id: id(),
  /** the class of a class sheet; null for a whole-school sheet */
  classId: uuid('class_id').references(() => classes.id),
  schoolId: uuid('school_id').references(() => schools.id),
  uploadedBy: uuid('uploaded_by')
    .notNull()
    .references(() => users.id),
  fileName: varchar('file_name', { length: 200 }).notNull(),
  format: text('format', { enum: ['xlsx', 'csv'] }).notNull(),
  content: bytea('content').notNull(),
  status: text('status', { enum: IMPORT_STATUSES }).notNull().default('queued'),
  totalRows: integer('total_rows').notNull().default(0),
  processedRows: integer('processed_rows').notNull().default(0),
  stats: jsonb('stats').$type<ImportStats>(),
  errors: jsonb('errors').$type<ImportRowError[]>().notNull().default([]),
  failureReason: text('failure_reason'),
  createdAt: createdAt(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
});
