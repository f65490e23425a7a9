export * from './directory.module';
export * from './directory.repository';
export * from './directory.service';
export * from './roster/roster-import.service';
export * from './roster/roster-file';
export * from './dto/directory.dto';
export * from './dto/roster.dto';
