export * from './messaging.module';
export * from './conversation.service';
export * from './message.service';
export * from './upload.service';
export * from './file-access.registry';
export * from './lecture-room.service';
export * from './message.mapper';
export * from './dto/message.dto';
