export * from './files.module';
export * from './upload.service';
export * from './file-access.registry';
export * from './dto/file.dto';
export * from './read-port';
